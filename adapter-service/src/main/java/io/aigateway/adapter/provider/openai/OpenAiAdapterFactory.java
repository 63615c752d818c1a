package io.aigateway.adapter.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.AdapterFactorySupport;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.http.HttpProviderAdapter;
import io.aigateway.adapter.provider.wire.ConfiguredModels;
import io.aigateway.adapter.provider.wire.ProviderErrorMapper;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

import java.time.Duration;

/** Registers kind {@code openai}: OpenAI itself and any server speaking its wire format unchanged. */
@Singleton
public class OpenAiAdapterFactory extends AdapterFactorySupport {
    public static final String KIND = "openai";

    public OpenAiAdapterFactory(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
        super(KIND, true, OpenAiAdapterFactory::adapter, vertx, mapper, tokens, config);
    }

    static ProviderAdapter adapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                                   Duration healthTimeout) {
        return HttpProviderAdapter.of(settings, OpenAiWireFormat.of(settings, mapper, new ProviderErrorMapper(mapper)),
                new ConfiguredModels(settings), vertx, mapper, tokens, healthTimeout);
    }
}
