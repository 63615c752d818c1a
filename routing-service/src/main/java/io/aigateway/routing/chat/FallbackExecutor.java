package io.aigateway.routing.chat;

import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.routing.route.Candidate;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Tries the candidates of a request in order until one succeeds (ARCHITECTURE.md, "Routing"): falls back
 * on a failure whose class allows it ({@link ErrorClass#fallback()}; CONTEXT_TOO_LONG only to candidates
 * with a larger context window), within one deadline for the whole chain, recording every attempt.
 * Per-provider retries with backoff and circuit breakers belong in {@link #attemptCandidate}.
 */
@ApplicationScoped
public class FallbackExecutor {

    private static final Logger LOG = Logger.getLogger(FallbackExecutor.class);

    /** One attempt against one candidate, given the time left; fails with {@link AttemptFailure}. */
    @FunctionalInterface
    public interface Attempt<T> {
        Uni<T> call(Candidate candidate, long remainingMs);
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
        long remainingMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0) {
            return failFinal(rc);
        }
        Candidate c = candidates.get(i);
        int index = i;
        long t0 = System.nanoTime();
        return attemptCandidate(c, remainingMs, attempt)
                .onItem().invoke(() -> rc.recordSuccess(index, c, (System.nanoTime() - t0) / 1_000_000))
                .onFailure(AttemptFailure.class).recoverWithUni(t -> {
                    AttemptFailure f = (AttemptFailure) t;
                    rc.recordFailure(c, f, (System.nanoTime() - t0) / 1_000_000);
                    ErrorClass ec = f.error().errorClass();
                    LOG.infof("route attempt %s failed: %s (status %s)%s", c, ec, f.status(),
                            ec.fallback() ? "" : ", no fallback");
                    if (!ec.fallback()) {
                        return failFinal(rc);
                    }
                    int nextMin = minContext;
                    if (ec == ErrorClass.CONTEXT_TOO_LONG) {
                        nextMin = Math.max(minContext, c.contextWindow() <= 0 ? Integer.MAX_VALUE : c.contextWindow());
                    }
                    return next(rc, index + 1, nextMin, deadlineNanos, attempt);
                });
    }

    /** The one place where retries of the same provider and its circuit breaker will wrap the call. */
    <T> Uni<T> attemptCandidate(Candidate c, long remainingMs, Attempt<T> attempt) {
        return Uni.createFrom().deferred(() -> attempt.call(c, remainingMs));
    }

    private static <T> Uni<T> failFinal(RouteContext rc) {
        return Uni.createFrom().failure(FinalErrors.of(rc.requestedModel(), rc.attempts()).exception());
    }
}
