package io.aigateway.adapter.provider.gemini;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.AdapterFactorySupport;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.http.HttpProviderAdapter;
import io.aigateway.adapter.provider.wire.ConfiguredModels;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

import java.time.Duration;

/** Registers kind {@code gemini} (key required, {@code x-goog-api-key}): {@link GeminiWireFormat} over HTTP. */
@Singleton
public class GeminiAdapterFactory extends AdapterFactorySupport {
    public GeminiAdapterFactory(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
        super("gemini", true, GeminiAdapterFactory::adapter, vertx, mapper, tokens, config);
    }

    static ProviderAdapter adapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                                   Duration healthTimeout) {
        return HttpProviderAdapter.of(settings, new GeminiWireFormat(settings, mapper), new ConfiguredModels(settings),
                vertx, mapper, tokens, healthTimeout);
    }
}
