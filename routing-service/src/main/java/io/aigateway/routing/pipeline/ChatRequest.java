package io.aigateway.routing.pipeline;

import io.aigateway.contracts.internal.RoutePolicy;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.routing.adapter.CallerHeaders;

import java.util.List;

/**
 * A chat request parsed once: the body tree (never changed after parsing; each candidate's body is written from it
 * without touching it), the caller, the context and policy (validated), the cache directives as sent, and the start.
 *
 * @param cacheControl the {@code X-Aigw-Cache-Control} values as sent (empty when absent)
 * @param cacheTtl     the {@code X-Aigw-Cache-Ttl} value as sent, or null
 */
public record ChatRequest(CallerHeaders caller, String context, RoutePolicy policy, ChatCompletionRequest chat,
                          List<String> cacheControl, String cacheTtl, long startNanos) {

    public ChatRequest {
        cacheControl = cacheControl == null ? List.of() : cacheControl;
    }

    public String requestId() {
        return caller.requestId();
    }

    public String model() {
        return chat.model();
    }

    public boolean stream() {
        return chat.stream();
    }

    public long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
