package io.aigateway.adapter.health;

import io.aigateway.adapter.catalog.ProviderCatalog;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.HealthResult;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Background health checks of the enabled providers (never on the request path). The last result is
 * cached; one older than {@code aigw.health.ttl}, or none yet, counts as healthy (unknown).
 */
@ApplicationScoped
public class ProviderHealthMonitor {

    private static final Logger LOG = Logger.getLogger(ProviderHealthMonitor.class);

    private final ProviderCatalog catalog;
    private final AigwConfig.Health config;
    private final Map<String, HealthResult> results = new ConcurrentHashMap<>();

    public ProviderHealthMonitor(ProviderCatalog catalog, AigwConfig config) {
        this.catalog = catalog;
        this.config = config.health();
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
                .invoke(r -> {
                    HealthResult previous = results.put(r.id(), r);
                    if (previous == null || previous.healthy() != r.healthy()) {
                        LOG.infof("provider %s is %s (%s)", r.id(), r.healthy() ? "healthy" : "unhealthy", r.detail());
                    }
                });
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
