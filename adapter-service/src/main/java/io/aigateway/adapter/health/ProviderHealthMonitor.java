package io.aigateway.adapter.health;

import io.aigateway.adapter.catalog.ProviderCatalog;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.HealthResult;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.contracts.health.ProviderAlert;
import io.aigateway.contracts.health.ProviderHealthEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Background health checks of the enabled providers (never on the request path). The last result is
 * cached; one older than {@code aigw.health.ttl}, or none yet, counts as healthy (unknown).
 *
 * <p>History: a check whose result (healthy or not) differs from the provider's previous one, or is its first, is a
 * {@code TRANSITION} event; every {@code aigw.health.snapshot-interval} each enabled provider's state is a
 * {@code SNAPSHOT}; after {@code aigw.health.alert-after} failed checks in a row one {@link ProviderAlert} is raised
 * (WARN line, {@code ai.alerts.v1}, optional webhook), and not again until a check succeeds. Publishing is
 * {@link HealthEventPublisher}'s, which never blocks.
 *
 * <p>Metrics: {@code aigw_provider_health{provider}} per provider of the catalog, from this monitor's view: 2 healthy
 * (or unknown: never checked, last check stale, disabled and so not checked), 1 degraded (failing, fewer than
 * {@code aigw.health.alert-after} checks in a row), 0 down (at least that many: the outage that raises the alert).
 */
@Startup
@ApplicationScoped
public class ProviderHealthMonitor {

    private static final Logger LOG = Logger.getLogger(ProviderHealthMonitor.class);

    private final ProviderCatalog catalog;
    private final AigwConfig.Health config;
    private final Map<String, HealthResult> results = new ConcurrentHashMap<>();
    private final Map<String, Outage> outages = new ConcurrentHashMap<>();
    private final HealthEventPublisher publisher;

    /** Failed checks in a row of one provider, and whether this outage was alerted. */
    private static final class Outage {
        int failures;
        Instant since;
        boolean alerted;
    }

    public ProviderHealthMonitor(ProviderCatalog catalog, AigwConfig config, HealthEventPublisher publisher,
                                 MeterRegistry registry) {
        this.catalog = catalog;
        this.config = config.health();
        this.publisher = publisher;
        for (ProviderAdapter a : catalog.adapters()) {
            String id = a.id();
            Gauge stale = registry.find("aigw.provider.health").tag("provider", id).gauge();
            if (stale != null) { // an earlier monitor's (an application restarted in the same JVM): this one wins
                registry.remove(stale);
            }
            Gauge.builder("aigw.provider.health", this, m -> m.level(id))
                    .description("Provider health as the health checks see it: 2 healthy, 1 degraded, 0 down")
                    .tag("provider", id).strongReference(true).register(registry);
        }
    }

    /** 2 healthy (or unknown), 1 degraded (failing, not yet {@code alert-after} times in a row), 0 down. */
    public int level(String id) {
        if (state(id).healthy()) {
            return 2;
        }
        Outage o = outages.get(id);
        int failures;
        if (o == null) {
            failures = 0;
        } else {
            synchronized (o) {
                failures = o.failures;
            }
        }
        return failures >= Math.max(1, config.alertAfter()) ? 0 : 1;
    }

    @Scheduled(identity = "provider-health-snapshot", every = "${aigw.health.snapshot-interval:5m}",
            delayed = "${aigw.health.snapshot-interval:5m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSnapshot() {
        if (config.enabled()) {
            snapshot();
        }
    }

    /** One SNAPSHOT event per enabled provider with its last checked state. */
    public void snapshot() {
        Instant now = Instant.now();
        for (ProviderAdapter adapter : catalog.adapters()) {
            if (!adapter.settings().enabled()) {
                continue;
            }
            HealthResult r = state(adapter.id());
            Outage o = outages.get(adapter.id());
            int failures;
            if (o == null) {
                failures = 0;
            } else {
                synchronized (o) {
                    failures = o.failures;
                }
            }
            publisher.publish(new ProviderHealthEvent(UUID.randomUUID(), adapter.id(), ProviderHealthEvent.Type.SNAPSHOT,
                    r.healthy(), null, r.detail(), r.latencyMs(), failures, r.checkedAt(), now, publisher.instance()));
        }
    }

    @Scheduled(identity = "provider-health", every = "${aigw.health.interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return config.enabled() ? checkAll() : Uni.createFrom().voidItem();
    }

    /** Probes every enabled provider once, in parallel; completes when all answered. */
    public Uni<Void> checkAll() {
        List<Uni<HealthResult>> checks = new ArrayList<>();
        for (ProviderAdapter adapter : catalog.adapters()) {
            if (adapter.settings().enabled()) {
                checks.add(check(adapter));
            }
        }
        return checks.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(checks).andFailFast().replaceWithVoid();
    }

    public Uni<HealthResult> check(ProviderAdapter adapter) {
        return adapter.healthCheck()
                .onFailure().recoverWithItem(t -> new HealthResult(adapter.id(), false, Instant.now(), null,
                        "health check failed: " + t.getClass().getSimpleName()))
                .invoke(this::record);
    }

    /** Keeps a check's result; publishes a transition, and the alert once an outage is long enough. */
    void record(HealthResult r) {
        HealthResult previous = results.put(r.id(), r);
        Outage o = outages.computeIfAbsent(r.id(), id -> new Outage());
        int failures;
        ProviderAlert alert = null;
        synchronized (o) {
            if (r.healthy()) {
                o.failures = 0;
                o.since = null;
                o.alerted = false;
            } else {
                if (o.failures++ == 0) {
                    o.since = r.checkedAt();
                }
                if (!o.alerted && o.failures >= Math.max(1, config.alertAfter())) {
                    o.alerted = true;
                    alert = new ProviderAlert(UUID.randomUUID(), ProviderAlert.TYPE, Instant.now(), r.id(), o.failures,
                            Math.max(1, config.alertAfter()), r.detail(), o.since, publisher.instance());
                }
            }
            failures = o.failures;
        }
        if (previous == null || previous.healthy() != r.healthy()) {
            LOG.infof("provider %s is %s (%s)", r.id(), r.healthy() ? "healthy" : "unhealthy", r.detail());
            publisher.publish(new ProviderHealthEvent(UUID.randomUUID(), r.id(), ProviderHealthEvent.Type.TRANSITION,
                    r.healthy(), previous == null ? null : previous.healthy(), r.detail(), r.latencyMs(), failures,
                    r.checkedAt(), Instant.now(), publisher.instance()));
        }
        if (alert != null) {
            LOG.warnf("ALERT %s: provider %s failed %d health checks in a row since %s (%s)", ProviderAlert.TYPE,
                    alert.provider(), alert.consecutiveFailures(), alert.since(), alert.detail());
            publisher.publish(alert);
        }
    }

    /** The cached state: unknown (never checked, or older than the TTL) counts as healthy. */
    public HealthResult state(String id) {
        HealthResult r = results.get(id);
        if (r == null || r.checkedAt() == null) {
            return HealthResult.unknown(id);
        }
        if (Duration.between(r.checkedAt(), Instant.now()).compareTo(config.ttl()) > 0) {
            return new HealthResult(id, true, r.checkedAt(), r.latencyMs(), "last check is stale (" + r.detail() + ")");
        }
        return r;
    }

    public boolean healthy(String id) {
        return state(id).healthy();
    }
}
