package io.aigateway.adapter.catalog;

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
import io.aigateway.contracts.config.ProviderOverride;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One provider of the catalog as configured now (a decorator: it knows only the adapter below): the file's settings
 * plus the override published on {@code ai.config.v1}. The override's catalog fields (per-model enabled, prices,
 * context window, quality) are applied on top of what the adapter below serves; its request limit is enforced here
 * (over it a call fails RATE_LIMITED at once); a change of timeouts or pool size builds a new adapter below, and the
 * old one, whose calls in flight go on, is closed after a grace period (its total timeout plus its chunk gap).
 * Every call reads one immutable state, swapped whole when an override arrives.
 */
public final class ManagedProvider implements ProviderAdapter {

    private record State(ProviderSettings settings, ProviderOverride override, ProviderAdapter adapter,
                         RequestLimiter limiter) {
    }

    private final ProviderSettings file;
    private final Function<ProviderSettings, ProviderAdapter> build;
    private final BiConsumer<ProviderAdapter, Duration> retire;
    private volatile State state;

    /**
     * @param build  builds an adapter from settings (the factory of the provider's kind)
     * @param retire closes a replaced adapter after the given grace period
     */
    public ManagedProvider(ProviderSettings file, Function<ProviderSettings, ProviderAdapter> build,
                           BiConsumer<ProviderAdapter, Duration> retire) {
        this.file = file;
        this.build = build;
        this.retire = retire;
        this.state = new State(file, null, build.apply(file), RequestLimiter.ofPerMinute(file.rateLimitPerMinute()));
    }

    /**
     * Applies a whole override (null: back to the file's settings).
     *
     * @return whether the adapter below was rebuilt
     */
    public synchronized boolean apply(ProviderOverride override) {
        State old = state;
        ProviderSettings effective = ProviderOverrides.effective(file, override);
        boolean rebuild = !ProviderOverrides.sameConnection(old.settings(), effective);
        ProviderAdapter adapter = rebuild ? build.apply(ProviderOverrides.connection(file, effective)) : old.adapter();
        RequestLimiter limiter = effective.rateLimitPerMinute() == old.settings().rateLimitPerMinute() ? old.limiter()
                : RequestLimiter.ofPerMinute(effective.rateLimitPerMinute());
        state = new State(effective, override, adapter, limiter);
        if (rebuild) {
            var t = old.settings().timeouts();
            retire.accept(old.adapter(), t.total().plus(t.betweenChunks()));
        }
        return rebuild;
    }

    /** The override applied now, or null (the file's settings). */
    public ProviderOverride override() {
        return state.override();
    }

    /** The file's settings (the defaults an override changes). */
    public ProviderSettings fileSettings() {
        return file;
    }

    @Override
    public ProviderSettings settings() {
        return state.settings();
    }

    @Override
    public List<ModelInfo> models() {
        State s = state;
        return s.override() == null ? s.adapter().models() : s.override().applyTo(s.adapter().models());
    }

    /** A model of the provider with the override applied; a disabled one is returned with enabled=false. */
    @Override
    public ModelInfo model(String modelId) {
        State s = state;
        ModelInfo m = s.adapter().model(modelId);
        return m == null || s.override() == null ? m : s.override().applyTo(m);
    }

    @Override
    public Uni<ChatResult> chat(ChatCall call) {
        State s = state;
        if (s.limiter() != null && !s.limiter().tryAcquire()) {
            return Uni.createFrom().failure(new ProviderException(limited(s, call.model().id())));
        }
        return s.adapter().chat(call);
    }

    @Override
    public StreamHandle chatStream(ChatCall call, ChunkSink sink) {
        State s = state;
        if (s.limiter() != null && !s.limiter().tryAcquire()) {
            sink.error(limited(s, call.model().id()));
            return () -> { };
        }
        return s.adapter().chatStream(call, sink);
    }

    private static ProviderError limited(State s, String model) {
        String id = s.settings().id();
        return new ProviderError(ErrorClass.RATE_LIMITED, null, s.limiter().retryAfterMs(),
                id + ": request limit of " + s.limiter().perMinute() + " per minute reached (client-side limiter)",
                id, model);
    }

    /** Cost from the prices of {@code model} as the caller got it from {@link #model} (override applied). */
    @Override
    public BigDecimal estimateCost(ModelInfo model, int promptTokens, int completionTokens) {
        return state.adapter().estimateCost(model, promptTokens, completionTokens);
    }

    @Override
    public Uni<HealthResult> healthCheck() {
        return state.adapter().healthCheck();
    }

    @Override
    public RateLimitSnapshot rateLimit() {
        return state.adapter().rateLimit();
    }

    @Override
    public ProviderError mapHttpError(int status, MultiMap headers, Buffer body, String model) {
        return state.adapter().mapHttpError(status, headers, body, model);
    }

    @Override
    public ProviderError mapFailure(Throwable failure, String model) {
        return state.adapter().mapFailure(failure, model);
    }

    @Override
    public void close() {
        state.adapter().close();
    }
}
