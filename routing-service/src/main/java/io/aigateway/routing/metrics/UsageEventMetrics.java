package io.aigateway.routing.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.ToDoubleFunction;

/**
 * Delivery of usage events (Prometheus names): {@code aigw_usage_events_total{outcome}} with outcome {@code sent}
 * (acknowledged by Kafka on the first send), {@code spooled} (written to the local spool), {@code resent} (delivered
 * from the spool), {@code dropped} (neither sent nor spooled, or unreadable in the spool); and the gauge
 * {@code aigw_usage_spool_pending} (events waiting in the spool). All registered at start, at zero.
 */
public class UsageEventMetrics {

    private final MeterRegistry registry;
    private final Counter sent;
    private final Counter spooled;
    private final Counter resent;
    private final Counter dropped;

    public UsageEventMetrics(MeterRegistry registry) {
        this.registry = registry;
        sent = outcome("sent");
        spooled = outcome("spooled");
        resent = outcome("resent");
        dropped = outcome("dropped");
    }

    private Counter outcome(String outcome) {
        return Counter.builder("aigw.usage.events")
                .description("Usage events by delivery outcome: sent, spooled, resent (from the spool), dropped")
                .tag("outcome", outcome).register(registry);
    }

    /** Registers {@code aigw_usage_spool_pending} on {@code spool} (held strongly by its owner). */
    public <T> void spoolPending(T spool, ToDoubleFunction<T> pending) {
        Gauge stale = registry.find("aigw.usage.spool.pending").gauge();
        if (stale != null) { // an earlier publisher's (an application restarted in the same JVM): this one wins
            registry.remove(stale);
        }
        Gauge.builder("aigw.usage.spool.pending", spool, pending)
                .description("Usage events waiting in the local spool to be resent").strongReference(true).register(registry);
    }

    public void sent() {
        sent.increment();
    }

    public void spooled(int n) {
        spooled.increment(n);
    }

    public void resent(int n) {
        resent.increment(n);
    }

    public void dropped(int n) {
        dropped.increment(n);
    }
}
