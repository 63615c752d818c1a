package io.aigateway.routing.pipeline;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.routing.adapter.CallerHeaders;
import io.smallrye.mutiny.Uni;

/**
 * One chat request in, one answer out: the whole of routing behind {@code POST /internal/v1/route/chat}, callable
 * in-process (the HTTP route, the cache warmer). The routed implementation ({@code chat.RoutedChatPipeline}) resolves,
 * routes, retries and falls back; decorators wrap it (the response cache, {@code cache.CachingChatPipeline}), each
 * knowing only the layer below. Call on a Vert.x context; everything completes on it.
 */
public interface ChatPipeline {

    /**
     * Answers a request parsed once into {@link ChatRequest}. The Uni completes with a {@link ChatReply} (a JSON body,
     * or a stream whose status and headers are final: the first content has arrived), or fails with an
     * {@link io.aigateway.contracts.error.ApiException} whose error carries the response headers to send. Cancelling
     * the Uni (or the stream's Multi) means the client went away: the request is accounted as disconnected.
     */
    Uni<ChatReply> chat(ChatRequest request);

    /**
     * A request rejected before it could be parsed into a {@link ChatRequest}: accounted (usage event, metrics).
     *
     * @return the error to send, with the routing headers ({@code x-aigw-attempts}, {@code x-aigw-policy-used})
     */
    ApiError rejected(CallerHeaders caller, String context, String policy, long startNanos, ApiError error);
}
