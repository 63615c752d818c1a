package io.aigateway.edge.metrics;

import io.aigateway.support.redis.RedisOutageGate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The edge's own meters (Prometheus at /q/metrics), created once and reused: {@code aigw_edge_requests_total{route,status}},
 * the key lookups, {@code aigw_edge_overhead_seconds{route}} (histogram: the edge's own time of a relayed request, its
 * time to the answer's head minus the time it waited for routing-service and for the key lookup),
 * {@code aigw_redis_gate_open{gate}} (1 while a Redis outage gate has tripped and Redis is skipped, else 0).
 */
@ApplicationScoped
public class EdgeMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();
    private final Counter authCacheHit;
    private final Counter authCacheMiss;
    private final ConcurrentMap<String, Counter> lookups = new ConcurrentHashMap<>();
    private final Counter routingRetries;
    private final ConcurrentMap<String, Timer> overhead = new ConcurrentHashMap<>();
    /** SLO buckets of the overhead histogram: 0.5 ms to 100 ms. */
    static final Duration[] OVERHEAD_BUCKETS = {Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100)};

    public EdgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.authCacheHit = Counter.builder("aigw.edge.auth.cache").tag("result", "hit")
                .description("API key lookups answered by the local cache").register(registry);
        this.authCacheMiss = Counter.builder("aigw.edge.auth.cache").tag("result", "miss")
                .description("API key lookups that went to Redis / admin-service").register(registry);
        this.routingRetries = Counter.builder("aigw.edge.routing.retries")
                .description("Requests sent to routing-service again on a new connection after a pooled connection "
                        + "closed before any answer").register(registry);
    }

    /** The edge's own time of one relayed request ({@code route} a fixed word: chat, generate). */
    public void overhead(String route, long nanos) {
        Timer t = overhead.get(route);
        if (t == null) {
            t = overhead.computeIfAbsent(route, r -> Timer.builder("aigw.edge.overhead")
                    .description("Time the edge spent on a relayed request itself: to the answer's head, minus the "
                            + "waits for routing-service and for the key lookup")
                    .tag("route", r).serviceLevelObjectives(OVERHEAD_BUCKETS).register(registry));
        }
        t.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** Exports {@code gate}'s state as {@code aigw_redis_gate_open{gate}} (spaces in its name become {@code _}). */
    public void redisGate(RedisOutageGate gate) {
        redisGate(registry, gate);
    }

    public static void redisGate(MeterRegistry registry, RedisOutageGate gate) {
        String label = gate.name().replace(' ', '_');
        Gauge stale = registry.find("aigw.redis.gate.open").tag("gate", label).gauge();
        if (stale != null) { // a gate of an earlier instance (an application restarted in the same JVM): this one wins
            registry.remove(stale);
        }
        Gauge.builder("aigw.redis.gate.open", gate, g -> g.isClosed() ? 1 : 0)
                .description("1 while the Redis outage gate has tripped (Redis is skipped), 0 while Redis is used")
                .tag("gate", label).strongReference(true).register(registry);
    }

    /** A request to routing-service was sent again on a new connection (see service-support InternalHttpClient#connectionLost). */
    public void routingRetry() {
        routingRetries.increment();
    }

    /** One public request finished with this status. */
    public void request(String route, int status) {
        String key = route + '|' + status;
        Counter c = requests.get(key);
        if (c == null) {
            c = requests.computeIfAbsent(key, k -> Counter.builder("aigw.edge.requests")
                    .description("Public API requests by route and final status")
                    .tag("route", route).tag("status", Integer.toString(status)).register(registry));
        }
        c.increment();
    }

    public void authCacheHit() {
        authCacheHit.increment();
    }

    public void authCacheMiss() {
        authCacheMiss.increment();
    }

    /** A key lookup at a source ({@code redis}, {@code admin}) with an outcome ({@code found}, {@code absent}, {@code error}). */
    public void keyLookup(String source, String outcome) {
        String key = source + '|' + outcome;
        Counter c = lookups.get(key);
        if (c == null) {
            c = lookups.computeIfAbsent(key, k -> Counter.builder("aigw.edge.auth.lookups")
                    .tag("source", source).tag("outcome", outcome).register(registry));
        }
        c.increment();
    }
}
