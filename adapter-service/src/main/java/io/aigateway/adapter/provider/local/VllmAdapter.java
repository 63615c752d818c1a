package io.aigateway.adapter.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * Kind {@code vllm}: vLLM's OpenAI-compatible server (PROVIDERS.md "vLLM"). Health {@code GET /health}
 * (200 empty; 503 when the engine died; connection refused while loading); {@code /v1/models} adds
 * {@code max_model_len}, used as the discovered model's context window.
 */
public class VllmAdapter extends LocalOpenAiAdapter {

    public VllmAdapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                       Duration healthTimeout) {
        super(settings, vertx, mapper, tokens, healthTimeout);
    }

    @Override
    protected String healthUri() {
        return serverRoot() + "/health";
    }

    @Override
    protected int contextWindowOf(JsonNode entry) {
        return entry.path("max_model_len").asInt(0);
    }
}
