package io.aigateway.adapter.provider.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.AdapterFactorySupport;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

/** Registers the Hugging Face kinds {@code hf-router} (key required) and {@code tgi} (key optional). */
public final class HfAdapterFactories {

    private HfAdapterFactories() {
    }

    @Singleton
    public static class Router extends AdapterFactorySupport {
        public Router(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
            super("hf-router", true, HfRouterAdapter::new, vertx, mapper, tokens, config);
        }
    }

    @Singleton
    public static class Tgi extends AdapterFactorySupport {
        public Tgi(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
            super("tgi", false, TgiAdapter::new, vertx, mapper, tokens, config);
        }
    }
}
