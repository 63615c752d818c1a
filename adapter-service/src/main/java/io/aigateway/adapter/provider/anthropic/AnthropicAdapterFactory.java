package io.aigateway.adapter.provider.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.AdapterFactorySupport;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

/** Registers kind {@code anthropic} (key required). */
@Singleton
public class AnthropicAdapterFactory extends AdapterFactorySupport {
    public AnthropicAdapterFactory(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
        super("anthropic", true, AnthropicAdapter::new, vertx, mapper, tokens, config);
    }
}
