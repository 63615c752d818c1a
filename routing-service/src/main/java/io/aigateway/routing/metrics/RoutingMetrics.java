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
 * {@code aigw_routing_provider_latency_seconds{provider}} (histogram), {@code aigw_config_records_total{kind}} (records
 * of {@code ai.config.v1} handled, kind {@code provider|group|breaker-reset}, or {@code invalid|other} for records
 * not understood; never an entity id). Meters cached per tag set.
 */
@ApplicationScoped
public class RoutingMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ProviderMeters> providers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> decisions = new ConcurrentHashMap<>();
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

    /** The meters of one provider, built once (no per-request key building or registry lookups). */
    private final class ProviderMeters {
        final String provider;
        final Counter calls;
        final Counter retries;
        final Counter fallbacks;
        final Timer latency;
        final ConcurrentMap<String, Counter> failures = new ConcurrentHashMap<>();

        ProviderMeters(String provider) {
            this.provider = provider;
            calls = Counter.builder("aigw.routing.provider.calls").description("Attempts sent to a provider")
                    .tag("provider", provider).register(registry);
            retries = Counter.builder("aigw.routing.retries").description("Retries of the same provider")
                    .tag("provider", provider).register(registry);
            fallbacks = Counter.builder("aigw.routing.fallbacks")
                    .description("Fallbacks to the next candidate, by the provider that failed")
                    .tag("provider", provider).register(registry);
            latency = Timer.builder("aigw.routing.provider.latency")
                    .description("Latency of attempts per provider (JSON: whole answer; streams: to first content)")
                    .tag("provider", provider)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(5))
                    .maximumExpectedValue(Duration.ofSeconds(120))
                    .register(registry);
        }

        Counter failure(String errorClass) {
            return failures.computeIfAbsent(errorClass, c -> Counter.builder("aigw.routing.provider.failures")
                    .description("Failed attempts by provider and error class")
                    .tag("provider", provider).tag("class", c).register(registry));
        }
    }

    private ProviderMeters provider(String provider) {
        return providers.computeIfAbsent(provider, ProviderMeters::new);
    }

    /** One call (attempt) to a provider, with its outcome; {@code errorClass} null for a success. */
    public void call(String provider, String errorClass, long latencyMs) {
        ProviderMeters m = provider(provider);
        m.calls.increment();
        if (errorClass != null) {
            m.failure(errorClass).increment();
        }
        if (latencyMs >= 0) {
            m.latency.record(latencyMs, TimeUnit.MILLISECONDS);
        }
    }

    public void retry(String provider) {
        provider(provider).retries.increment();
    }

    public void fallback(String fromProvider) {
        provider(fromProvider).fallbacks.increment();
    }

    public void decision(String policy) {
        decisions.computeIfAbsent(policy, p -> Counter.builder("aigw.routing.decisions")
                .description("Routing decisions by policy").tag("policy", p).register(registry)).increment();
    }

    /** One {@code ai.config.v1} record handled; {@code kind} is a fixed word, never an entity id. */
    public void configRecord(String kind) {
        counter("aigw.config.records", "Records of ai.config.v1 handled, by kind", "kind", kind).increment();
    }

    private static final java.util.List<String> BREAKER_STATES = java.util.List.of("CLOSED", "HALF_OPEN", "OPEN");

    /** @param state 0 closed, 1 half-open, 2 open */
    public void breakerState(String provider, int state, String stateName, boolean transition) {
        breakerStates.computeIfAbsent(provider, p -> {
            AtomicInteger v = new AtomicInteger();
            Gauge.builder("aigw.routing.breaker.state", v, AtomicInteger::get)
                    .description("Circuit breaker state per provider: 0 closed, 1 half-open, 2 open")
                    .tag("provider", p).register(registry);
            // the transition counters exist at zero from the breaker's creation: increase() sees the first transition
            for (String s : BREAKER_STATES) {
                counter("aigw.routing.breaker.transitions", "Circuit breaker transitions by provider and new state",
                        "provider", p, "state", s);
            }
            return v;
        }).set(state);
        if (transition) {
            counter("aigw.routing.breaker.transitions", "Circuit breaker transitions by provider and new state",
                    "provider", provider, "state", stateName).increment();
        }
    }
}
