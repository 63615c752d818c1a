package io.aigateway.routing.catalog;

import io.aigateway.routing.adapter.AdapterClient;
import io.aigateway.routing.config.CatalogConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds adapter-service's provider catalog in memory. Loaded at start and refreshed every
 * {@code aigw.catalog.refresh-interval}; while it is not loaded (adapter not up yet) or a refresh fails,
 * the tick retries every {@code aigw.catalog.retry-interval} in the background without failing start.
 */
@ApplicationScoped
public class CatalogService {

    private static final Logger LOG = Logger.getLogger(CatalogService.class);

    private final AdapterClient adapter;
    private final CatalogConfig config;
    private final AtomicReference<Catalog> current = new AtomicReference<>();
    private final AtomicBoolean loading = new AtomicBoolean();
    private volatile Instant lastAttempt = Instant.EPOCH;
    private volatile String lastError;

    public CatalogService(AdapterClient adapter, CatalogConfig config) {
        this.adapter = adapter;
        this.config = config;
    }

    /** The catalog, or null until the first successful load. */
    public Catalog current() {
        return current.get();
    }

    public String lastError() {
        return lastError;
    }

    @Scheduled(identity = "catalog-refresh", every = "${aigw.catalog.retry-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        Catalog c = current.get();
        Instant now = Instant.now(Clock.systemUTC());
        boolean due = c == null
                || !now.isBefore(c.loadedAt().plus(config.refreshInterval()))
                || (lastError != null && lastAttempt.isAfter(c.loadedAt()));
        if (!due) {
            return Uni.createFrom().voidItem();
        }
        return refresh();
    }

    /** Reads the catalog now; keeps the previous one when the adapter cannot be reached. */
    public Uni<Void> refresh() {
        if (!loading.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        lastAttempt = Instant.now();
        return adapter.providers()
                .onItem().invoke(list -> {
                    Catalog fresh = Catalog.of(list, Instant.now());
                    Catalog old = current.getAndSet(fresh);
                    if (old == null || lastError != null) {
                        LOG.infof("provider catalog loaded: %d providers", fresh.providers().size());
                    }
                    lastError = null;
                })
                .onFailure().invoke(t -> {
                    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
                    if (!msg.equals(lastError)) {
                        LOG.warnf("provider catalog not loaded from adapter-service (retrying): %s", msg);
                    }
                    lastError = msg;
                })
                .onFailure().recoverWithNull()
                .onTermination().invoke(() -> loading.set(false))
                .replaceWithVoid();
    }
}
