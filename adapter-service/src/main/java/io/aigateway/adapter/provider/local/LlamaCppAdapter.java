package io.aigateway.adapter.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.HealthResult;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.openai.OpenAiErrorMapper;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.aigateway.contracts.error.ErrorClass;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.time.Instant;

/**
 * Kind {@code llamacpp}: llama.cpp's server (PROVIDERS.md "llama.cpp server"). Health {@code GET /health}:
 * 503 {@code {"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}} while loading,
 * then 200 {@code {"status":"ok"}}. Errors carry an integer {@code code}; a prompt over the context is
 * {@code exceed_context_size_error}.
 */
public class LlamaCppAdapter extends LocalOpenAiAdapter {

    public LlamaCppAdapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                           Duration healthTimeout) {
        super(settings, vertx, mapper, tokens, healthTimeout);
    }

    @Override
    protected String healthUri() {
        return serverRoot() + "/health";
    }

    @Override
    protected HealthResult healthOf(Probe p) {
        if (p.status() == 503 && p.body() != null && p.body().toString().contains("Loading model")) {
            return new HealthResult(settings.id(), false, Instant.now(), p.latencyMs(), "OVERLOADED: loading model");
        }
        return super.healthOf(p);
    }

    @Override
    protected OpenAiErrorMapper errorMapper(ObjectMapper mapper) {
        return new OpenAiErrorMapper(mapper) {
            @Override
            protected ErrorClass refineError(ErrorClass base, int status, JsonNode error) {
                if (error != null && error.isObject() && "exceed_context_size_error".equals(text(error.get("type")))) {
                    return ErrorClass.CONTEXT_TOO_LONG;
                }
                return super.refineError(base, status, error);
            }
        };
    }
}
