package io.aigateway.routing.chat;

import io.aigateway.routing.adapter.AttemptFailure;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.routing.adapter.CallerHeaders;
import io.aigateway.routing.breaker.CircuitOpenException;
import io.aigateway.routing.breaker.ProviderGuard;
import io.aigateway.routing.metrics.RoutingMetrics;
import io.aigateway.routing.route.Candidate;
import io.aigateway.routing.route.Resolution;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The retry/fallback loop on a virtual clock: sleeps advance the clock, attempts take scripted time. */
class FallbackExecutorTest {

    static final long MS = 1_000_000L;
    static final Candidate A = new Candidate("a", "m", 8192);
    static final Candidate B = new Candidate("b", "m", 8192);
    static final Candidate BIG = new Candidate("c", "m", 128000);

    record Step(long tookMs, ErrorClass error, Long retryAfterMs) {
    }

    long now;
    final List<Long> sleeps = new ArrayList<>();
    final List<Long> budgets = new ArrayList<>();
    final Map<String, Deque<Step>> script = new HashMap<>();
    final Map<String, Integer> calls = new HashMap<>();
    ProviderGuard guard = ProviderGuard.NONE;

    FallbackExecutor executor(int maxRetries) {
        return new FallbackExecutor(maxRetries, 100, guard, new RoutingMetrics(new SimpleMeterRegistry()), (k, ms) -> {
        }, new Backoff(1000, 8000, 10_000, () -> 0.5), ms -> {
            sleeps.add(ms);
            now += ms * MS;
            return Uni.createFrom().voidItem();
        }, () -> now);
    }

    void on(Candidate c, Step... steps) {
        script.put(c.providerId(), new ArrayDeque<>(List.of(steps)));
    }

    Uni<String> attempt(Candidate c, long remainingMs) {
        calls.merge(c.providerId(), 1, Integer::sum);
        budgets.add(remainingMs);
        Step s = script.get(c.providerId()).poll();
        if (s.tookMs > remainingMs) {
            now += remainingMs * MS;
            return Uni.createFrom().failure(ProviderErrors.timeout(c, "timed out"));
        }
        now += s.tookMs * MS;
        if (s.error == null) {
            return Uni.createFrom().item("ok from " + c.providerId());
        }
        return Uni.createFrom().failure(new AttemptFailure(new ProviderError(s.error, 500, s.retryAfterMs, "boom",
                c.providerId(), c.modelId()), 502));
    }

    static RouteContext context(Candidate... cs) throws Exception {
        RouteContext rc = new RouteContext(new CallerHeaders("r1", "u", "k", "user"), "default", "cost",
                new ChatCompletionRequest((ObjectNode) new ObjectMapper().readTree("{\"model\":\"m\",\"messages\":[]}")), 0);
        rc.resolution(new Resolution("m", List.of(cs), "model-match"));
        return rc;
    }

    String run(RouteContext rc, int maxRetries, long deadlineMs) {
        return executor(maxRetries).execute(rc, deadlineMs * MS, this::attempt).await().indefinitely();
    }

    static List<String> classes(RouteContext rc) {
        return rc.attempts().stream().map(a -> String.valueOf(a.errorName())).toList();
    }

    @Test
    void retriesWithExponentialFullJitterBackoffThenFallsBack() throws Exception {
        on(A, new Step(100, ErrorClass.UPSTREAM_5XX, null), new Step(100, ErrorClass.CONNECTION, null),
                new Step(100, ErrorClass.OVERLOADED, null));
        on(B, new Step(50, null, null));
        RouteContext rc = context(A, B);
        assertEquals("ok from b", run(rc, 2, 60_000));
        assertEquals(List.of(500L, 1000L), sleeps, "random 0.5 × 1000·2ⁿ");
        assertEquals(List.of("UPSTREAM_5XX", "CONNECTION", "OVERLOADED", "null"), classes(rc));
        assertEquals(B, rc.served());
        assertEquals(1850, now / MS);
        assertEquals(List.of(60_000L, 59_400L, 58_300L, 58_200L), budgets, "each attempt gets the time left");
    }

    @Test
    void retryAfterIsAFloorAndBeyondTheCapMeansFallback() throws Exception {
        on(A, new Step(10, ErrorClass.RATE_LIMITED, 3000L), new Step(10, null, null));
        RouteContext rc = context(A, B);
        assertEquals("ok from a", run(rc, 2, 60_000));
        assertEquals(List.of(3000L), sleeps);

        sleeps.clear();
        on(A, new Step(10, ErrorClass.RATE_LIMITED, 30_000L));
        on(B, new Step(10, null, null));
        RouteContext rc2 = context(A, B);
        assertEquals("ok from b", run(rc2, 2, 60_000));
        assertEquals(List.of(), sleeps);
        assertEquals(List.of("RATE_LIMITED", "null"), classes(rc2));
    }

    @Test
    void theDeadlineBoundsRetriesAndFallbacks() throws Exception {
        on(A, new Step(400, ErrorClass.UPSTREAM_5XX, null), new Step(400, ErrorClass.UPSTREAM_5XX, null),
                new Step(400, ErrorClass.UPSTREAM_5XX, null));
        on(B, new Step(10, null, null));
        RouteContext rc = context(A, B);
        ApiException e = assertThrows(ApiException.class, () -> run(rc, 2, 1200));
        // 0-400 fail, sleep 500, 900: retry with 300 ms left, times out at 1200; no time for B
        assertEquals(List.of(500L), sleeps);
        assertEquals(List.of(1200L, 300L), budgets);
        assertEquals(1200, now / MS);
        assertNull(calls.get("b"));
        assertEquals(List.of("UPSTREAM_5XX", "TIMEOUT"), classes(rc));
        assertEquals(502, e.error().status());
    }

    @Test
    void noRetryStartsWhenTheBackoffLeavesTooLittleTime() throws Exception {
        on(A, new Step(500, ErrorClass.UPSTREAM_5XX, null));
        on(B, new Step(100, null, null));
        RouteContext rc = context(A, B);
        // 500 ms used, backoff 500 would leave 0 < 100: skip the retry, fall back at once
        assertEquals("ok from b", run(rc, 2, 1000));
        assertEquals(List.of(), sleeps);
    }

    @Test
    void classesWithoutRetryOrFallbackStopAtOnce() throws Exception {
        on(A, new Step(10, ErrorClass.BAD_REQUEST, null));
        RouteContext rc = context(A, B);
        ApiException e = assertThrows(ApiException.class, () -> run(rc, 2, 60_000));
        assertEquals(400, e.error().status());
        assertEquals(1, rc.attempts().size());
        assertNull(calls.get("b"));

        on(A, new Step(10, ErrorClass.AUTH, null));
        on(B, new Step(10, null, null));
        RouteContext rc2 = context(A, B);
        assertEquals("ok from b", run(rc2, 2, 60_000));
        assertEquals(List.of("AUTH", "null"), classes(rc2), "AUTH falls back without a retry");
    }

    @Test
    void contextTooLongSkipsSameSizeCandidates() throws Exception {
        on(A, new Step(10, ErrorClass.CONTEXT_TOO_LONG, null));
        on(B, new Step(10, null, null));
        on(BIG, new Step(10, null, null));
        RouteContext rc = context(A, B, BIG);
        assertEquals("ok from c", run(rc, 2, 60_000));
        assertNull(calls.get("b"));
    }

    @Test
    void aCallRejectedByAnOpenBreakerIsRecordedWithoutCalling() throws Exception {
        guard = new ProviderGuard() {
            @Override
            public <T> Uni<T> call(String provider, Supplier<Uni<T>> call) {
                return "a".equals(provider) ? Uni.createFrom().failure(new CircuitOpenException(provider))
                        : Uni.createFrom().deferred(call::get);
            }
        };
        on(B, new Step(10, null, null));
        RouteContext rc = context(A, B);
        assertEquals("ok from b", run(rc, 2, 60_000));
        assertNull(calls.get("a"));
        assertEquals(List.of("CIRCUIT_OPEN", "null"), classes(rc));
        assertEquals("CIRCUIT_OPEN", rc.attempts().get(0).toUsage().errorClass());
    }
}
