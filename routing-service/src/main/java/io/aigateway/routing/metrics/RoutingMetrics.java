package io.aigateway.routing.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routing metrics (Prometheus names): {@code aigw_routing_requests_total{provider,outcome}},
 * {@code aigw_routing_provider_calls_total{provider}}, {@code aigw_routing_provider_failures_total{provider,class}},
 * {@code aigw_routing_retries_total{provider}}, {@code aigw_routing_fallbacks_total{provider}} (from that provider),
 * {@code aigw_routing_breaker_state{provider}} (0 closed, 1 half-open, 2 open),
 * {@code aigw_routing_breaker_transitions_total{provider,state}}, {@code aigw_routing_decisions_total{policy}},
 * {@code aigw_routing_provider_latency_seconds{provider}} (histogram). Meters cached per tag set.
 */
@ApplicationScoped
public class RoutingMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicInteger> breakerStates = new ConcurrentHashMap<>();

    public RoutingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    private Counter counter(String name, String description, String... tags) {
        StringBuilder k = new StringBuilder(name);
        for (String t : tags) {
            k.append('\u0000').append(t);
        }
        return counters.computeIfAbsent(k.toString(), x -> Counter.builder(name).description(description).tags(tags).register(registry));
    }

    public void routed(String provider, String outcome) {
        counter("aigw.routing.requests", "Requests routed, by serving provider and outcome",
                "provider", provider == null ? "none" : provider, "outcome", outcome).increment();
    }

    /** One call (attempt) to a provider, with its outcome; {@code errorClass} null for a success. */
    public void call(String provider, String errorClass, long latencyMs) {
        counter("aigw.routing.provider.calls", "Attempts sent to a provider", "provider", provider).increment();
        if (errorClass != null) {
            counter("aigw.routing.provider.failures", "Failed attempts by provider and error class",
                    "provider", provider, "class", errorClass).increment();
        }
        if (latencyMs >= 0) {
            timers.computeIfAbsent(provider, p -> Timer.builder("aigw.routing.provider.latency")
                    .description("Latency of attempts per provider")
                    .tag("provider", p)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(5))
                    .maximumExpectedValue(Duration.ofSeconds(120))
                    .register(registry)).record(latencyMs, TimeUnit.MILLISECONDS);
        }
    }

    public void retry(String provider) {
        counter("aigw.routing.retries", "Retries of the same provider", "provider", provider).increment();
    }

    public void fallback(String fromProvider) {
        counter("aigw.routing.fallbacks", "Fallbacks to the next candidate, by the provider that failed", "provider", fromProvider).increment();
    }

    public void decision(String policy) {
        counter("aigw.routing.decisions", "Routing decisions by policy", "policy", policy).increment();
    }

    /** @param state 0 closed, 1 half-open, 2 open */
    public void breakerState(String provider, int state, String stateName, boolean transition) {
        breakerStates.computeIfAbsent(provider, p -> {
            AtomicInteger v = new AtomicInteger();
            Gauge.builder("aigw.routing.breaker.state", v, AtomicInteger::get)
                    .description("Circuit breaker state per provider: 0 closed, 1 half-open, 2 open")
                    .tag("provider", p).register(registry);
            return v;
        }).set(state);
        if (transition) {
            counter("aigw.routing.breaker.transitions", "Circuit breaker transitions by provider and new state",
                    "provider", provider, "state", stateName).increment();
        }
    }
}
