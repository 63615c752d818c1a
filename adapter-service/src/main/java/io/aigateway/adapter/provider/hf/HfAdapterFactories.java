package io.aigateway.adapter.provider.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderAdapterFactory;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/** Registers the Hugging Face kinds {@code hf-router} (key required) and {@code tgi} (key optional). */
public final class HfAdapterFactories {

    private HfAdapterFactories() {
    }

    @ApplicationScoped
    public static class Router implements ProviderAdapterFactory {
        private final Vertx vertx;
        private final ObjectMapper mapper;
        private final TokenEstimator tokens;
        private final AigwConfig config;

        public Router(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
            this.vertx = vertx;
            this.mapper = mapper;
            this.tokens = tokens;
            this.config = config;
        }

        @Override
        public String kind() {
            return "hf-router";
        }

        @Override
        public boolean requiresApiKeyByDefault() {
            return true;
        }

        @Override
        public ProviderAdapter create(ProviderSettings settings) {
            return new HfRouterAdapter(settings, vertx, mapper, tokens, config.health().timeout());
        }
    }

    @ApplicationScoped
    public static class Tgi implements ProviderAdapterFactory {
        private final Vertx vertx;
        private final ObjectMapper mapper;
        private final TokenEstimator tokens;
        private final AigwConfig config;

        public Tgi(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
            this.vertx = vertx;
            this.mapper = mapper;
            this.tokens = tokens;
            this.config = config;
        }

        @Override
        public String kind() {
            return "tgi";
        }

        @Override
        public boolean requiresApiKeyByDefault() {
            return false;
        }

        @Override
        public ProviderAdapter create(ProviderSettings settings) {
            return new TgiAdapter(settings, vertx, mapper, tokens, config.health().timeout());
        }
    }
}
