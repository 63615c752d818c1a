package io.aigateway.routing.cache;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.routing.adapter.CallerHeaders;
import io.aigateway.routing.pipeline.ChatPipeline;
import io.aigateway.routing.pipeline.ChatReply;
import io.aigateway.routing.pipeline.ChatRequest;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

/**
 * The response cache as a decorator of the {@link ChatPipeline}: whoever injects the pipeline (the HTTP route, the
 * warmer) gets the cached one. It knows only the pipeline below, never the HTTP route. With the cache disabled every
 * request goes straight through.
 */
@Decorator
@Priority(10)
public class CachingChatPipeline implements ChatPipeline {

    private final ChatPipeline delegate;
    private final ResponseCache cache;

    @Inject
    public CachingChatPipeline(@Delegate @Any ChatPipeline delegate, ResponseCache cache) {
        this.delegate = delegate;
        this.cache = cache;
    }

    @Override
    public Uni<ChatReply> chat(ChatRequest request) {
        return cache.serve(request, delegate);
    }

    @Override
    public ApiError rejected(CallerHeaders caller, String context, String policy, long startNanos, ApiError error) {
        return delegate.rejected(caller, context, policy, startNanos, error);
    }
}
