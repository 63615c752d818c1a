package io.aigateway.adapter.provider.ollama;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.AdapterFactorySupport;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

/** Registers kind {@code ollama} (no key needed). */
@Singleton
public class OllamaAdapterFactory extends AdapterFactorySupport {
    public OllamaAdapterFactory(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
        super("ollama", false, OllamaAdapter::new, vertx, mapper, tokens, config);
    }
}
