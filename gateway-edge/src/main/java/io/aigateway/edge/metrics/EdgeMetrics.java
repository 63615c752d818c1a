package io.aigateway.edge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The edge's own counters (Prometheus at /q/metrics). Counters are created once and reused. */
@ApplicationScoped
public class EdgeMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();
    private final Counter authCacheHit;
    private final Counter authCacheMiss;
    private final ConcurrentMap<String, Counter> lookups = new ConcurrentHashMap<>();
    private final Counter routingRetries;

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
