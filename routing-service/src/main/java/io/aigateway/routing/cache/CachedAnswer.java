package io.aigateway.routing.cache;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Set;

/**
 * One stored answer: the OpenAI {@code chat.completion} body exactly as first sent to the client (for
 * a streamed miss: assembled from its chunks), who served it, what it cost, and when it was stored.
 * Enough to replay it as JSON or as SSE ({@link SseReplay}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CachedAnswer(int v, String provider, String model, BigDecimal costUsd, int promptTokens,
                           int completionTokens, boolean usageEstimated, long storedAtMs, boolean streamed,
                           String body) {

    public static final int VERSION = 1;

    /** finish_reason values of a complete answer. {@code length} (cut by max tokens) and {@code content_filter} are not stored. */
    public static final Set<String> COMPLETE_FINISH_REASONS = Set.of("stop", "tool_calls", "function_call");

    /** Whole seconds since it was stored (the {@code age} header). */
    public long ageSeconds(long nowMs) {
        return Math.max(0, (nowMs - storedAtMs) / 1000);
    }

    /** Whether a parsed {@code chat.completion} is a complete answer worth storing. */
    public static boolean complete(JsonNode body) {
        if (body == null || !body.isObject()) {
            return false;
        }
        JsonNode choices = body.get("choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            return false;
        }
        for (JsonNode c : choices) {
            JsonNode fr = c.get("finish_reason");
            if (fr == null || !fr.isTextual() || !COMPLETE_FINISH_REASONS.contains(fr.textValue())) {
                return false;
            }
            if (!c.path("message").isObject()) {
                return false;
            }
        }
        return true;
    }
}
