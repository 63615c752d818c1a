package io.aigateway.routing.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** {@code aigw_routing_requests_total{provider,outcome}}: routed requests; counters cached per tag pair. */
@ApplicationScoped
public class RoutingMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

    public RoutingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void routed(String provider, String outcome) {
        String p = provider == null ? "none" : provider;
        counters.computeIfAbsent(p + '\u0000' + outcome, k -> Counter.builder("aigw.routing.requests")
                .description("Requests routed, by serving provider and outcome")
                .tag("provider", p)
                .tag("outcome", outcome)
                .register(registry)).increment();
    }
}
