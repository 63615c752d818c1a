package io.aigateway.routing.catalog;

import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.config.ProviderOverride;
import io.aigateway.routing.adapter.AdapterClient;
import io.aigateway.routing.config.CatalogConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds adapter-service's provider catalog in memory. Loaded at start and refreshed every
 * {@code aigw.catalog.refresh-interval}; while it is not loaded (adapter not up yet) or a refresh fails,
 * the tick retries every {@code aigw.catalog.retry-interval} in the background without failing start.
 * <p>
 * The provider overrides admins published on {@code ai.config.v1} ({@link #override}) are applied to every catalog
 * read ({@link ProviderOverride#applyTo(ProviderInfo)}: priority, per-model enabled, prices, context window, quality;
 * it can only turn a provider off). adapter-service applies the same overrides to the catalog it serves, and only
 * it can turn a provider back on (it knows whether the provider has its API key), so a changed override is also
 * followed by catalog re-reads ({@code aigw.catalog.refetch-after-override}).
 */
@ApplicationScoped
public class CatalogService {

    private static final Logger LOG = Logger.getLogger(CatalogService.class);

    private final AdapterClient adapter;
    private final CatalogConfig config;
    private final Vertx vertx;
    private final AtomicReference<Catalog> current = new AtomicReference<>();
    private final AtomicBoolean loading = new AtomicBoolean();
    /** Guarded by {@code this}: the last list read from adapter-service, and the published overrides by provider id. */
    private List<ProviderInfo> fetched;
    private Instant fetchedAt;
    private final Map<String, ProviderOverride> overrides = new TreeMap<>();
    private volatile Instant lastAttempt = Instant.EPOCH;
    private volatile String lastError;

    public CatalogService(AdapterClient adapter, CatalogConfig config, Vertx vertx) {
        this.adapter = adapter;
        this.config = config;
        this.vertx = vertx;
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
                    Catalog fresh = loaded(list, Instant.now());
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

    /** The adapter's list with the overrides applied; stored as the fetched state. */
    private synchronized Catalog loaded(List<ProviderInfo> list, Instant at) {
        fetched = list;
        fetchedAt = at;
        return Catalog.of(withOverrides(list, overrides), at);
    }

    /**
     * Sets (or, with {@code override} null, removes) the published override of a provider and applies it to the
     * catalog held now; later reads apply it too. Unless {@code refetch} is false (the topic's history at start),
     * the catalog is re-read from adapter-service after each {@code aigw.catalog.refetch-after-override} delay.
     */
    public void override(String providerId, ProviderOverride override, boolean refetch) {
        synchronized (this) {
            if (override == null) {
                overrides.remove(providerId);
            } else {
                overrides.put(providerId, override);
            }
            if (fetched != null) {
                current.set(Catalog.of(withOverrides(fetched, overrides), fetchedAt));
            }
        }
        if (refetch) {
            for (Duration d : config.refetchAfterOverride()) {
                vertx.setTimer(Math.max(1, d.toMillis()), id -> refresh().subscribe().with(x -> { }, t -> { }));
            }
        }
    }

    /** The published overrides by provider id (a copy). */
    public synchronized Map<String, ProviderOverride> overrides() {
        return new TreeMap<>(overrides);
    }

    /** Each provider of {@code list} with its override (if any) applied. */
    static List<ProviderInfo> withOverrides(List<ProviderInfo> list, Map<String, ProviderOverride> overrides) {
        if (overrides.isEmpty()) {
            return list;
        }
        List<ProviderInfo> out = new ArrayList<>(list.size());
        for (ProviderInfo p : list) {
            ProviderOverride o = p == null ? null : overrides.get(p.id());
            out.add(o == null ? p : o.applyTo(p));
        }
        return out;
    }
}
