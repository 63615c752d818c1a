package io.aigateway.adapter.provider.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderAdapterFactory;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/** Registers the self-hosted OpenAI-format kinds {@code vllm} and {@code llamacpp} (no key needed). */
public final class LocalAdapterFactories {

    private LocalAdapterFactories() {
    }

    @ApplicationScoped
    public static class Vllm implements ProviderAdapterFactory {
        private final Vertx vertx;
        private final ObjectMapper mapper;
        private final TokenEstimator tokens;
        private final AigwConfig config;

        public Vllm(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
            this.vertx = vertx;
            this.mapper = mapper;
            this.tokens = tokens;
            this.config = config;
        }

        @Override
        public String kind() {
            return "vllm";
        }

        @Override
        public boolean requiresApiKeyByDefault() {
            return false;
        }

        @Override
        public ProviderAdapter create(ProviderSettings settings) {
            return new VllmAdapter(settings, vertx, mapper, tokens, config.health().timeout());
        }
    }

    @ApplicationScoped
    public static class LlamaCpp implements ProviderAdapterFactory {
        private final Vertx vertx;
        private final ObjectMapper mapper;
        private final TokenEstimator tokens;
        private final AigwConfig config;

        public LlamaCpp(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
            this.vertx = vertx;
            this.mapper = mapper;
            this.tokens = tokens;
            this.config = config;
        }

        @Override
        public String kind() {
            return "llamacpp";
        }

        @Override
        public boolean requiresApiKeyByDefault() {
            return false;
        }

        @Override
        public ProviderAdapter create(ProviderSettings settings) {
            return new LlamaCppAdapter(settings, vertx, mapper, tokens, config.health().timeout());
        }
    }
}
