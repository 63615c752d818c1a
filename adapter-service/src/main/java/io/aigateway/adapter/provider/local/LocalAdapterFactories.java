package io.aigateway.adapter.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.AdapterFactorySupport;
import io.aigateway.adapter.provider.HealthResult;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.http.HttpProviderAdapter;
import io.aigateway.adapter.provider.openai.OpenAiWireFormat;
import io.aigateway.adapter.provider.wire.HealthReading;
import io.aigateway.adapter.provider.wire.ProviderErrorMapper;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.aigateway.contracts.error.ErrorClass;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;

/**
 * Registers the self-hosted OpenAI-format kinds {@code vllm} and {@code llamacpp} (no key needed; one is sent
 * when configured): OpenAI's wire format at a configured base URL ({@code http://host:port/v1}), zero cost,
 * a health endpoint at the server root, models discovered from {@code GET {base}/models} (see {@link ServerModels}).
 */
public final class LocalAdapterFactories {

    private LocalAdapterFactories() {
    }

    /**
     * Kind {@code vllm}: vLLM's OpenAI-compatible server (PROVIDERS.md "vLLM"). Health {@code GET /health}
     * (200 empty; 503 when the engine died; connection refused while loading); {@code /v1/models} adds
     * {@code max_model_len}, used as the discovered model's context window.
     */
    @Singleton
    public static class Vllm extends AdapterFactorySupport {
        static final ServerModels.ListFormat MODEL_LIST = new ServerModels.ListFormat() {
            @Override
            public int contextWindowOf(JsonNode entry) {
                return entry.path("max_model_len").asInt(0);
            }
        };

        public Vllm(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
            super("vllm", false, Vllm::adapter, vertx, mapper, tokens, config);
        }

        static ProviderAdapter adapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                                       Duration healthTimeout) {
            OpenAiWireFormat format = new OpenAiWireFormat(settings, mapper, new ProviderErrorMapper(mapper),
                    ServerModels.serverRoot(settings) + "/health", HealthReading.STANDARD);
            return HttpProviderAdapter.of(settings, format,
                    new ServerModels(settings, mapper, OpenAiWireFormat.modelsUri(settings), MODEL_LIST),
                    vertx, mapper, tokens, healthTimeout);
        }
    }

    /**
     * Kind {@code llamacpp}: llama.cpp's server (PROVIDERS.md "llama.cpp server"). Health {@code GET /health}:
     * 503 {@code {"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}} while loading,
     * then 200 {@code {"status":"ok"}}. Errors carry an integer {@code code}; a prompt over the context is
     * {@code exceed_context_size_error}.
     */
    @Singleton
    public static class LlamaCpp extends AdapterFactorySupport {
        static final HealthReading HEALTH = (providerId, p) -> {
            if (p.status() == 503 && p.body() != null && p.body().toString().contains("Loading model")) {
                return new HealthResult(providerId, false, Instant.now(), p.latencyMs(), "OVERLOADED: loading model");
            }
            return HealthReading.STANDARD.read(providerId, p);
        };

        public LlamaCpp(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
            super("llamacpp", false, LlamaCpp::adapter, vertx, mapper, tokens, config);
        }

        static ProviderAdapter adapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                                       Duration healthTimeout) {
            OpenAiWireFormat format = new OpenAiWireFormat(settings, mapper, new LlamaCppErrorMapper(mapper),
                    ServerModels.serverRoot(settings) + "/health", HEALTH);
            return HttpProviderAdapter.of(settings, format,
                    new ServerModels(settings, mapper, OpenAiWireFormat.modelsUri(settings), ServerModels.OPENAI_LIST),
                    vertx, mapper, tokens, healthTimeout);
        }
    }

    /** llama.cpp's {@code exceed_context_size_error} is CONTEXT_TOO_LONG; otherwise OpenAI's codes. */
    static final class LlamaCppErrorMapper extends ProviderErrorMapper {
        LlamaCppErrorMapper(ObjectMapper mapper) {
            super(mapper);
        }

        @Override
        protected ErrorClass refineError(ErrorClass base, int status, JsonNode error) {
            if (error != null && error.isObject() && "exceed_context_size_error".equals(text(error.get("type")))) {
                return ErrorClass.CONTEXT_TOO_LONG;
            }
            return super.refineError(base, status, error);
        }
    }
}
