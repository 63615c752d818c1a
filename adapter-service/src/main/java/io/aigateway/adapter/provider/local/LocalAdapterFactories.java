package io.aigateway.adapter.provider.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.AdapterFactorySupport;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

/** Registers the self-hosted OpenAI-format kinds {@code vllm} and {@code llamacpp} (no key needed). */
public final class LocalAdapterFactories {

    private LocalAdapterFactories() {
    }

    @Singleton
    public static class Vllm extends AdapterFactorySupport {
        public Vllm(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
            super("vllm", false, VllmAdapter::new, vertx, mapper, tokens, config);
        }
    }

    @Singleton
    public static class LlamaCpp extends AdapterFactorySupport {
        public LlamaCpp(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
            super("llamacpp", false, LlamaCppAdapter::new, vertx, mapper, tokens, config);
        }
    }
}
