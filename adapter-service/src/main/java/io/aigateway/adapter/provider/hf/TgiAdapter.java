package io.aigateway.adapter.provider.hf;

import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.ChatResult;
import io.aigateway.adapter.provider.ChunkSink;
import io.aigateway.adapter.provider.HealthResult;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderException;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.RateLimitSnapshot;
import io.aigateway.adapter.provider.RequestLimiter;
import io.aigateway.adapter.provider.StreamHandle;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.openai.Usage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kind {@code tgi}'s call policy around the plain HTTP adapter (a decorator: it knows only the adapter below).
 * 503 "model is loading" with {@code estimated_time}: wait (bounded by {@code timeouts.total}) and call again,
 * or fail OVERLOADED at once for a fallback, by {@code tgi.on-loading}. With
 * {@code tgi.free-tier-requests-per-minute} a client-side limiter answers RATE_LIMITED before calling (and the
 * models are priced 0, see {@link HfAdapterFactories}).
 */
final class TgiAdapter implements ProviderAdapter {

    private final ProviderAdapter delegate;
    private final Vertx vertx;
    private final boolean waitWhileLoading;
    private final RequestLimiter limiter;

    TgiAdapter(ProviderAdapter delegate, Vertx vertx, boolean waitWhileLoading, RequestLimiter limiter) {
        this.delegate = delegate;
        this.vertx = vertx;
        this.waitWhileLoading = waitWhileLoading;
        this.limiter = limiter;
    }

    static boolean waitWhileLoading(AigwConfig.ProviderConfig pc) {
        return pc != null && "wait".equalsIgnoreCase(pc.tgi().onLoading().trim());
    }

    /** The free-tier limiter, or null when none is configured. */
    static RequestLimiter limiter(AigwConfig.ProviderConfig pc) {
        return RequestLimiter.ofPerMinute(pc == null ? 0 : pc.tgi().freeTierRequestsPerMinute());
    }

    static boolean isLoading(ProviderError error) {
        return error.errorClass() == ErrorClass.OVERLOADED && error.providerStatus() != null
                && error.providerStatus() == 503 && error.message() != null && error.message().contains("loading");
    }

    private static boolean isLoading(Throwable t) {
        return t instanceof ProviderException pe && isLoading(pe.error());
    }

    private ProviderError limited(String model) {
        ProviderSettings settings = delegate.settings();
        return new ProviderError(ErrorClass.RATE_LIMITED, null, limiter.retryAfterMs(),
                settings.id() + ": free-tier request limit reached (client-side limiter)", settings.id(), model);
    }

    // ---- calls ---------------------------------------------------------------------------------

    @Override
    public Uni<ChatResult> chat(ChatCall call) {
        if (limiter != null && !limiter.tryAcquire()) {
            return Uni.createFrom().failure(new ProviderException(limited(call.model().id())));
        }
        if (!waitWhileLoading) {
            return delegate.chat(call);
        }
        long deadline = System.nanoTime() + settings().timeouts().total().toNanos();
        return attempt(call, deadline);
    }

    /** While the model loads: wait the estimated time (at least 200 ms) and retry, until the total deadline. */
    private Uni<ChatResult> attempt(ChatCall call, long deadline) {
        return delegate.chat(call).onFailure(TgiAdapter::isLoading).recoverWithUni(t -> {
            ProviderError e = ((ProviderException) t).error();
            long waitMs = Math.max(200, e.retryAfterMs() == null ? 1000 : e.retryAfterMs());
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (waitMs >= leftMs) {
                return Uni.createFrom().failure(t);
            }
            return Uni.createFrom().<Void>emitter(em -> vertx.setTimer(waitMs, id -> em.complete(null)))
                    .flatMap(v -> attempt(call, deadline));
        });
    }

    @Override
    public StreamHandle chatStream(ChatCall call, ChunkSink sink) {
        if (limiter != null && !limiter.tryAcquire()) {
            sink.error(limited(call.model().id()));
            return () -> { };
        }
        if (!waitWhileLoading) {
            return delegate.chatStream(call, sink);
        }
        LoadingAwareStream stream = new LoadingAwareStream(call, sink,
                System.nanoTime() + settings().timeouts().total().toNanos());
        stream.start();
        return stream;
    }

    /**
     * A stream that, while the model loads (503 before any data), waits the estimated time and starts again,
     * until {@code timeouts.total}; everything else is passed to the consumer's sink unchanged.
     */
    private final class LoadingAwareStream implements StreamHandle, ChunkSink {
        private final ChatCall call;
        private final ChunkSink sink;
        private final long deadline;
        private StreamHandle current;
        private long timer = -1;
        private boolean cancelled;

        LoadingAwareStream(ChatCall call, ChunkSink sink, long deadline) {
            this.call = call;
            this.sink = sink;
            this.deadline = deadline;
        }

        void start() {
            current = delegate.chatStream(call, this);
        }

        @Override
        public void chunk(String json, boolean hasContent) {
            sink.chunk(json, hasContent);
        }

        @Override
        public boolean writeQueueFull() {
            return sink.writeQueueFull();
        }

        @Override
        public void drainHandler(Runnable resume) {
            sink.drainHandler(resume);
        }

        @Override
        public void complete(Usage usage, boolean usageEstimated) {
            sink.complete(usage, usageEstimated);
        }

        @Override
        public void error(ProviderError error) {
            long waitMs = Math.max(200, error.retryAfterMs() == null ? 1000 : error.retryAfterMs());
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (!isLoading(error) || cancelled || waitMs >= leftMs) {
                sink.error(error);
                return;
            }
            timer = vertx.setTimer(waitMs, id -> {
                timer = -1;
                if (!cancelled) {
                    start();
                }
            });
        }

        @Override
        public void cancel() {
            cancelled = true;
            if (timer != -1) {
                vertx.cancelTimer(timer);
            }
            if (current != null) {
                current.cancel();
            }
        }
    }

    // ---- the rest is the adapter below's -------------------------------------------------------

    @Override
    public ProviderSettings settings() {
        return delegate.settings();
    }

    @Override
    public List<ModelInfo> models() {
        return delegate.models();
    }

    @Override
    public ModelInfo model(String modelId) {
        return delegate.model(modelId);
    }

    @Override
    public BigDecimal estimateCost(ModelInfo model, int promptTokens, int completionTokens) {
        return delegate.estimateCost(model, promptTokens, completionTokens);
    }

    @Override
    public Uni<HealthResult> healthCheck() {
        return delegate.healthCheck();
    }

    @Override
    public RateLimitSnapshot rateLimit() {
        return delegate.rateLimit();
    }

    @Override
    public ProviderError mapHttpError(int status, MultiMap headers, Buffer body, String model) {
        return delegate.mapHttpError(status, headers, body, model);
    }

    @Override
    public ProviderError mapFailure(Throwable failure, String model) {
        return delegate.mapFailure(failure, model);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
