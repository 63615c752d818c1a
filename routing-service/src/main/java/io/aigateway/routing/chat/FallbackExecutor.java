package io.aigateway.routing.chat;

import io.aigateway.support.tracing.GenAiSpan;
import io.aigateway.support.tracing.Traces;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.subscription.Cancellable;
import org.jboss.logging.MDC;

import io.aigateway.routing.adapter.AttemptFailure;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.routing.breaker.CircuitOpenException;
import io.aigateway.routing.breaker.ProviderBreakers;
import io.aigateway.routing.breaker.ProviderGuard;
import io.aigateway.routing.config.RoutingConfig;
import io.aigateway.routing.metrics.RoutingMetrics;
import io.aigateway.routing.route.Candidate;
import io.aigateway.routing.stats.RoutingStats;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Tries the candidates of a request in order until one succeeds (docs/architecture.md, "Routing"), within one
 * deadline for the whole request, recording every attempt:
 * <ul>
 * <li>every call goes through the provider's circuit breaker; a call the open breaker rejects is recorded
 *     ({@code CIRCUIT_OPEN}) without reaching the adapter, and the next candidate is tried;</li>
 * <li>a failure whose class allows it ({@link ErrorClass#retrySameProvider()}) is retried on the same
 *     candidate after {@link Backoff} (exponential, full jitter, {@code Retry-After} honoured up to a cap),
 *     slept on a non-blocking timer; no retry or fallback starts with less than {@code min-attempt-time} left;</li>
 * <li>then falls back when the class allows it ({@link ErrorClass#fallback()}; CONTEXT_TOO_LONG only to
 *     candidates with a larger context window).</li>
 * </ul>
 * Clock, random source and sleeps are injectable for tests.
 */
@ApplicationScoped
public class FallbackExecutor {

    private static final Logger LOG = Logger.getLogger(FallbackExecutor.class);

    /** One attempt against one candidate, given the time left; fails with {@link AttemptFailure}. */
    @FunctionalInterface
    public interface Attempt<T> {
        Uni<T> call(Candidate candidate, long remainingMs);
    }

    /** A non-blocking sleep. */
    @FunctionalInterface
    public interface Sleeper {
        Uni<Void> sleep(long ms);
    }

    /** Where attempt latencies go (the latency policy's statistics). */
    @FunctionalInterface
    public interface LatencySink {
        void record(String candidateKey, long latencyMs);
    }

    private final ProviderGuard breakers;
    private final RoutingMetrics metrics;
    private final LatencySink latency;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final LongSupplier nanoClock;
    private final int maxRetries;
    private final long minAttemptMs;
    private Tracer tracer = OpenTelemetry.noop().getTracer("io.aigateway.routing");

    @Inject
    public FallbackExecutor(Vertx vertx, RoutingConfig config, ProviderBreakers breakers, RoutingMetrics metrics,
                            RoutingStats stats, Tracer tracer) {
        this(config.retry().maxRetries(), config.retry().minAttemptTime().toMillis(), breakers, metrics, stats.latency()::record,
                new Backoff(config.retry().baseDelay().toMillis(), config.retry().maxDelay().toMillis(),
                        config.retry().maxRetryAfter().toMillis(), () -> ThreadLocalRandom.current().nextDouble()),
                ms -> Uni.createFrom().emitter(em -> {
                    long id = vertx.setTimer(Math.max(1, ms), t -> em.complete(null));
                    em.onTermination(() -> vertx.cancelTimer(id));
                }),
                System::nanoTime);
        this.tracer = tracer;
    }

    /** For tests: where the attempt spans go. */
    FallbackExecutor tracer(Tracer tracer) {
        this.tracer = tracer;
        return this;
    }

    FallbackExecutor(int maxRetries, long minAttemptMs, ProviderGuard breakers, RoutingMetrics metrics, LatencySink latency,
                     Backoff backoff, Sleeper sleeper, LongSupplier nanoClock) {
        this.breakers = breakers;
        this.metrics = metrics;
        this.latency = latency;
        this.backoff = backoff;
        this.sleeper = sleeper;
        this.nanoClock = nanoClock;
        this.maxRetries = Math.max(0, maxRetries);
        this.minAttemptMs = minAttemptMs;
    }

    /**
     * @return the first success; or a failure with the final {@link io.aigateway.contracts.error.ApiException}
     * (status by {@link FinalErrors}) when no candidate succeeded
     */
    public <T> Uni<T> execute(RouteContext rc, long deadlineNanos, Attempt<T> attempt) {
        return next(rc, 0, 0, deadlineNanos, attempt);
    }

    private <T> Uni<T> next(RouteContext rc, int from, int minContext, long deadlineNanos, Attempt<T> attempt) {
        List<Candidate> candidates = rc.candidates();
        int i = from;
        while (i < candidates.size() && minContext > 0 && candidates.get(i).contextWindow() <= minContext) {
            i++;
        }
        if (i >= candidates.size()) {
            return failFinal(rc);
        }
        long remainingMs = remainingMs(deadlineNanos);
        if (remainingMs <= 0 || (!rc.attempts().isEmpty() && remainingMs < minAttemptMs)) {
            LOG.infof("no time left for another candidate (%d ms before the deadline)", remainingMs);
            return failFinal(rc);
        }
        return attemptCandidate(rc, i, 0, minContext, deadlineNanos, attempt);
    }

    private long remainingMs(long deadlineNanos) {
        return (deadlineNanos - nanoClock.getAsLong()) / 1_000_000;
    }

    private <T> Uni<T> attemptCandidate(RouteContext rc, int index, int retry, int minContext, long deadlineNanos,
                                        Attempt<T> attempt) {
        Candidate c = rc.candidates().get(index);
        long remainingMs = remainingMs(deadlineNanos);
        long[] t0 = new long[1];
        GenAiSpan[] span = new GenAiSpan[1];
        MDC.put(Traces.MDC_PROVIDER, c.providerId());
        MDC.put(Traces.MDC_MODEL, c.modelId());
        return breakers.call(c.providerId(), () -> {
                    t0[0] = nanoClock.getAsLong();
                    // one GenAI client span per attempt, current while the attempt starts: the call to the adapter
                    // carries it as traceparent, so adapter-service's spans are its children
                    span[0] = GenAiSpan.chat(tracer, rc.trace(), c.providerId(), c.modelId())
                            .attribute("aigw.attempt", rc.attempts().size() + 1)
                            .attribute("aigw.retry", retry);
                    return within(span[0].context(rc.trace()), () -> attempt.call(c, remainingMs));
                })
                .onCancellation().invoke(() -> {
                    if (span[0] != null) {
                        span[0].failed("CANCELLED", "client went away");
                    }
                })
                .onItem().invoke(() -> {
                    long ms = (nanoClock.getAsLong() - t0[0]) / 1_000_000;
                    rc.servingSpan(span[0]); // ended with the tokens when the request finishes
                    rc.recordSuccess(index, c, ms);
                    metrics.call(c.providerId(), null, ms);
                    latency.record(c.key(), ms);
                })
                .onFailure().recoverWithUni(t -> {
                    if (t instanceof CircuitOpenException) {
                        rc.recordRejected(c);
                        metrics.call(c.providerId(), AttemptRecord.CIRCUIT_OPEN, -1);
                        LOG.infof("route attempt %s rejected: circuit open", c);
                        metrics.fallback(c.providerId());
                        return next(rc, index + 1, minContext, deadlineNanos, attempt);
                    }
                    if (!(t instanceof AttemptFailure f)) {
                        if (span[0] != null) {
                            span[0].failed(t.getClass().getSimpleName(), t.getMessage());
                        }
                        return Uni.createFrom().failure(t);
                    }
                    long ms = (nanoClock.getAsLong() - t0[0]) / 1_000_000;
                    rc.recordFailure(c, f, ms);
                    ErrorClass ec = f.error().errorClass();
                    if (span[0] != null) {
                        if (f.status() != null) {
                            span[0].attribute("http.response.status_code", f.status());
                        }
                        span[0].failed(ec.name(), f.error().message());
                    }
                    metrics.call(c.providerId(), ec.name(), ms);
                    if (ec == ErrorClass.TIMEOUT) {
                        latency.record(c.key(), ms);
                    }
                    if (ec.retrySameProvider() && retry < maxRetries) {
                        long delay = backoff.delayMs(retry, f.error().retryAfterMs());
                        long left = remainingMs(deadlineNanos) - Math.max(0, delay);
                        if (delay != Backoff.NO_RETRY && left >= minAttemptMs) {
                            LOG.infof("route attempt %s failed: %s (status %s); retry %d in %d ms", c, ec, f.status(),
                                    retry + 1, delay);
                            metrics.retry(c.providerId());
                            return sleeper.sleep(delay)
                                    .chain(() -> attemptCandidate(rc, index, retry + 1, minContext, deadlineNanos, attempt));
                        }
                    }
                    LOG.infof("route attempt %s failed: %s (status %s)%s", c, ec, f.status(),
                            ec.fallback() ? "" : ", no fallback");
                    if (!ec.fallback()) {
                        return failFinal(rc);
                    }
                    int nextMin = minContext;
                    if (ec == ErrorClass.CONTEXT_TOO_LONG) {
                        nextMin = Math.max(minContext, c.contextWindow() <= 0 ? Integer.MAX_VALUE : c.contextWindow());
                    }
                    metrics.fallback(c.providerId());
                    return next(rc, index + 1, nextMin, deadlineNanos, attempt);
                });
    }

    /**
     * Makes and subscribes to the attempt's {@code Uni} with {@code context} current, so what it starts synchronously
     * (the request to the adapter and its {@code traceparent}) belongs to that span. Made inside the scope too: with
     * context propagation Mutiny restores, when a {@code Uni} runs, the context current when it was assembled.
     * Cancellation still reaches the attempt.
     */
    static <T> Uni<T> within(Context context, java.util.function.Supplier<Uni<T>> inner) {
        return Uni.createFrom().emitter(em -> {
            Cancellable subscription;
            try (Scope ignored = context.makeCurrent()) {
                subscription = inner.get().subscribe().with(em::complete, em::fail);
            }
            em.onTermination(subscription::cancel);
        });
    }

    private static <T> Uni<T> failFinal(RouteContext rc) {
        return Uni.createFrom().failure(FinalErrors.of(rc.requestedModel(), rc.attempts()).exception());
    }
}
