package io.aigateway.adapter.provider.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.AdapterFactorySupport;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.RequestLimiter;
import io.aigateway.adapter.provider.http.HttpProviderAdapter;
import io.aigateway.adapter.provider.openai.OpenAiWireFormat;
import io.aigateway.adapter.provider.wire.ConfiguredModels;
import io.aigateway.adapter.provider.wire.ProviderErrorMapper;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

import java.time.Duration;

/** Registers the Hugging Face kinds {@code hf-router} (key required) and {@code tgi} (key optional). */
public final class HfAdapterFactories {

    private HfAdapterFactories() {
    }

    /**
     * Kind {@code hf-router}: Hugging Face Inference Providers router ({@code https://router.huggingface.co/v1},
     * OpenAI format, Bearer {@code hf_…}); model ids may carry a policy or provider suffix (see {@link RouterModels}).
     */
    @Singleton
    public static class Router extends AdapterFactorySupport {
        public Router(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
            super("hf-router", true, Router::adapter, vertx, mapper, tokens, config);
        }

        static ProviderAdapter adapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                                       Duration healthTimeout) {
            return HttpProviderAdapter.of(settings, OpenAiWireFormat.of(settings, mapper, new ProviderErrorMapper(mapper)),
                    new RouterModels(settings), vertx, mapper, tokens, healthTimeout);
        }
    }

    /** Kind {@code tgi}: {@link TgiWireFormat} over HTTP, inside {@link TgiAdapter}'s call policy. */
    @Singleton
    public static class Tgi extends AdapterFactorySupport {
        public Tgi(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
            super("tgi", false, Tgi::adapter, vertx, mapper, tokens, config);
        }

        static ProviderAdapter adapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                                       Duration healthTimeout) {
            RequestLimiter limiter = TgiAdapter.limiter(settings.config());
            ProviderAdapter http = HttpProviderAdapter.of(settings, new TgiWireFormat(settings, mapper),
                    new ConfiguredModels(settings, limiter != null), vertx, mapper, tokens, healthTimeout);
            return new TgiAdapter(http, vertx, TgiAdapter.waitWhileLoading(settings.config()), limiter);
        }
    }
}
