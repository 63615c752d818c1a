package io.aigateway.routing.breaker;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.routing.adapter.AttemptFailure;
import io.aigateway.routing.config.RoutingConfig;
import io.aigateway.routing.metrics.RoutingMetrics;
import io.aigateway.routing.route.BreakerView;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One circuit breaker per provider id (docs/architecture.md, "Routing"): a SmallRye Fault Tolerance
 * programmatic {@link Guard}, built once per provider, named {@code aigw-provider-<id>}. It opens when the
 * last N calls (rolling window N, failure ratio 1.0) all failed with a class that counts against the
 * breaker ({@link ErrorClass#countsAgainstBreaker()}; other failures count as successes of the provider),
 * and lets one trial call through after the delay (half-open); a success closes it, a failure re-opens it.
 * Transitions are logged and counted. Per instance, like the guards themselves.
 */
@ApplicationScoped
public class ProviderBreakers implements BreakerView, ProviderGuard {

    private static final Logger LOG = Logger.getLogger(ProviderBreakers.class);
    private static final TypeLiteral<Uni<Object>> UNI = new TypeLiteral<>() {
    };

    private final class Entry {
        final String provider;
        final Guard guard;
        volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;
        volatile long openedAtNanos;

        Entry(String provider) {
            this.provider = provider;
            this.guard = Guard.create()
                    .withCircuitBreaker()
                    .name(name(provider))
                    .requestVolumeThreshold(threshold)
                    .failureRatio(1.0)
                    .successThreshold(1)
                    .delay(delayMs, ChronoUnit.MILLIS)
                    .when(ProviderBreakers::counts)
                    .onStateChange(s -> transition(this, s))
                    .done()
                    .build();
            metrics.breakerState(provider, 0, "CLOSED", false);
        }
    }

    private final RoutingMetrics metrics;
    private final int threshold;
    private final long delayMs;
    private final ConcurrentHashMap<String, Entry> breakers = new ConcurrentHashMap<>();

    public ProviderBreakers(RoutingConfig config, RoutingMetrics metrics) {
        this.metrics = metrics;
        this.threshold = config.breaker().failureThreshold();
        this.delayMs = config.breaker().delay().toMillis();
    }

    static String name(String provider) {
        return "aigw-provider-" + provider;
    }

    static boolean counts(Throwable t) {
        return t instanceof AttemptFailure f && f.error().errorClass().countsAgainstBreaker();
    }

    private Entry entry(String provider) {
        return breakers.computeIfAbsent(provider, Entry::new);
    }

    /** Runs {@code call} through the provider's breaker; fails with {@link CircuitOpenException} without calling when open. */
    @Override
    @SuppressWarnings("unchecked")
    public <T> Uni<T> call(String provider, Supplier<Uni<T>> call) {
        Entry e = entry(provider);
        Uni<Object> guarded = e.guard.get(() -> (Uni<Object>) call.get(), UNI);
        return ((Uni<T>) guarded).onFailure(CircuitBreakerOpenException.class)
                .transform(t -> new CircuitOpenException(provider));
    }

    /** Closed, half-open, or open with its delay elapsed (the next call is the trial). */
    @Override
    public boolean permits(String providerId) {
        Entry e = breakers.get(providerId);
        return e == null || e.state != CircuitBreakerState.OPEN
                || System.nanoTime() - e.openedAtNanos >= delayMs * 1_000_000L;
    }

    /** State per provider that has been called: CLOSED, OPEN, or HALF_OPEN (also when open and the delay elapsed). */
    public Map<String, String> states() {
        Map<String, String> out = new TreeMap<>();
        breakers.forEach((p, e) -> out.put(p, stateOf(e)));
        return out;
    }

    /** @return the state, or null when the provider has no breaker yet */
    public String state(String provider) {
        Entry e = breakers.get(provider);
        return e == null ? null : stateOf(e);
    }

    private String stateOf(Entry e) {
        CircuitBreakerState s = e.state;
        if (s == CircuitBreakerState.OPEN && System.nanoTime() - e.openedAtNanos >= delayMs * 1_000_000L) {
            return CircuitBreakerState.HALF_OPEN.name();
        }
        return s.name();
    }

    public void reset(String provider) {
        Entry e = entry(provider);
        CircuitBreakerMaintenance.get().reset(name(provider));
        if (e.state != CircuitBreakerState.CLOSED) {
            transition(e, CircuitBreakerState.CLOSED);
        }
        LOG.infof("circuit breaker of provider %s reset", LogSafe.escape(provider));
    }

    public void resetAll() {
        for (String p : breakers.keySet()) {
            reset(p);
        }
    }

    private void transition(Entry e, CircuitBreakerState s) {
        if (s == CircuitBreakerState.OPEN) {
            e.openedAtNanos = System.nanoTime();
        }
        e.state = s;
        int code = switch (s) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
        metrics.breakerState(e.provider, code, s.name(), true);
        if (s == CircuitBreakerState.OPEN) {
            LOG.warnf("circuit breaker of provider %s OPEN (last %d calls failed); half-open in %d ms", e.provider, threshold, delayMs);
        } else {
            LOG.infof("circuit breaker of provider %s %s", e.provider, s);
        }
    }
}
