package io.aigateway.adapter.metrics;

import io.aigateway.adapter.catalog.ProviderCatalog;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.contracts.error.ErrorClass;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Per provider: {@code aigw_adapter_requests_total{provider,stream,outcome,error_class}} and
 * {@code aigw_adapter_upstream_seconds{provider,stream}}. Meters are registered once at start, so
 * recording allocates nothing.
 */
@Startup
@ApplicationScoped
public class AdapterMetrics {

    private static final ErrorClass[] CLASSES = ErrorClass.values();

    private final Map<String, ProviderMeters> meters;

    public AdapterMetrics(MeterRegistry registry, ProviderCatalog catalog) {
        Map<String, ProviderMeters> m = new HashMap<>();
        for (ProviderAdapter a : catalog.adapters()) {
            m.put(a.id(), new ProviderMeters(registry, a.id()));
        }
        this.meters = Map.copyOf(m);
    }

    /** One finished call: {@code error} null for success. */
    public void record(String provider, boolean stream, ErrorClass error, long upstreamNanos) {
        ProviderMeters pm = meters.get(provider);
        if (pm == null) {
            return;
        }
        int s = stream ? 1 : 0;
        (error == null ? pm.success[s] : pm.errors[s][error.ordinal()]).increment();
        if (upstreamNanos >= 0) {
            pm.latency[s].record(upstreamNanos, TimeUnit.NANOSECONDS);
        }
    }

    private static final class ProviderMeters {
        final Counter[] success = new Counter[2];
        final Counter[][] errors = new Counter[2][CLASSES.length];
        final Timer[] latency = new Timer[2];

        ProviderMeters(MeterRegistry registry, String provider) {
            for (int s = 0; s < 2; s++) {
                String stream = s == 1 ? "true" : "false";
                success[s] = Counter.builder("aigw.adapter.requests")
                        .description("Chat calls to a provider by outcome and error class")
                        .tags("provider", provider, "stream", stream, "outcome", "success", "error_class", "none")
                        .register(registry);
                for (ErrorClass c : CLASSES) {
                    errors[s][c.ordinal()] = Counter.builder("aigw.adapter.requests")
                            .description("Chat calls to a provider by outcome and error class")
                            .tags("provider", provider, "stream", stream, "outcome", "error", "error_class", c.name())
                            .register(registry);
                }
                latency[s] = Timer.builder("aigw.adapter.upstream")
                        .description("Time from sending a chat call to its answer (JSON) or its end (stream)")
                        .tags("provider", provider, "stream", stream)
                        .publishPercentileHistogram(false)
                        .register(registry);
            }
        }
    }
}
