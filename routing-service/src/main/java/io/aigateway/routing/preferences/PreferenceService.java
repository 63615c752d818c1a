package io.aigateway.routing.preferences;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.routing.breaker.ProviderBreakers;
import io.aigateway.routing.catalog.Catalog;
import io.aigateway.routing.catalog.CatalogService;
import io.aigateway.routing.config.RoutingConfig;
import io.aigateway.routing.route.PreferenceSource;
import io.aigateway.routing.route.UserPreferences;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * User preferences: the CRUD behind {@link PreferencesResource} (PostgreSQL first, then the Redis mirror) and the
 * {@link PreferenceSource} of {@code user-preference} routing, which never touches PostgreSQL synchronously:
 * local cache ({@code cache-ttl}) → Redis mirror → on a miss (or Redis down) PostgreSQL, reactive and bounded by
 * {@code db-timeout}, refilling the mirror → when nothing answers, the last known preferences, else none.
 * Uses are counted in memory and added to PostgreSQL by one statement per flush ({@code flush-interval}); a crash
 * loses at most the uses since the last flush (plus those held while PostgreSQL was down).
 */
@ApplicationScoped
public class PreferenceService implements PreferenceSource {

    private static final Logger LOG = Logger.getLogger(PreferenceService.class);
    private static final Pattern CONTEXT = Pattern.compile(AigwHeaders.CONTEXT_PATTERN);
    private static final int MAX_USER_ID = 256;

    /** A preference as the API shows it; {@code warning} only in a PUT answer, when there is one. */
    public record View(String context, String provider, String providerDisplayName, String model, String modelDisplayName,
                       long usageCount, Instant lastUsedAt, @JsonInclude(JsonInclude.Include.NON_NULL) String warning) {
    }

    private record Cached(UserPreferences prefs, long expiresAtNanos) {
    }

    private record UsageKey(String userId, String context) {
    }

    /** Mutated only inside {@code pending.compute}, i.e. under the map's lock for its key. */
    private static final class Counter {
        long count;
        long lastUsedMillis;
    }

    private final PreferenceRepository repository;
    private final PreferenceMirror mirror;
    private final CatalogService catalog;
    private final ProviderBreakers breakers;
    private final PreferencesConfig config;
    private final long noCandidateRetryAfterSeconds;
    private final long cacheTtlNanos;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UsageKey, Counter> pending = new ConcurrentHashMap<>();
    private final AtomicLong uncounted = new AtomicLong();
    private volatile String lastFlushError;

    public PreferenceService(PreferenceRepository repository, PreferenceMirror mirror, CatalogService catalog,
                             ProviderBreakers breakers, PreferencesConfig config, RoutingConfig routing) {
        this.repository = repository;
        this.mirror = mirror;
        this.catalog = catalog;
        this.breakers = breakers;
        this.config = config;
        this.noCandidateRetryAfterSeconds = routing.noCandidateRetryAfterSeconds();
        this.cacheTtlNanos = config.cacheTtl().toNanos();
    }

    // ---------------------------------------------------------------- request path (PreferenceSource)

    @Override
    public Uni<UserPreferences> load(String userId) {
        long now = System.nanoTime();
        Cached c = cache.get(userId);
        if (c != null && now - c.expiresAtNanos() < 0) {
            return Uni.createFrom().item(c.prefs());
        }
        Context ctx = Vertx.currentContext();
        return fetch(userId)
                .onItem().invoke(p -> remember(userId, p))
                .onFailure().recoverWithItem(t -> {
                    UserPreferences last = c == null ? UserPreferences.NONE : c.prefs();
                    LOG.debugf("preferences of a user not loaded (%s); using %s", t.toString(),
                            c == null ? "none" : "the last known ones");
                    remember(userId, last); // do not ask again for every request while the stores are down
                    return last;
                })
                .emitOn(r -> {
                    if (ctx == null || Vertx.currentContext() == ctx) {
                        r.run();
                    } else {
                        ctx.runOnContext(v -> r.run());
                    }
                });
    }

    /** Redis mirror, else PostgreSQL (refilling the mirror when Redis answered the miss). */
    private Uni<UserPreferences> fetch(String userId) {
        return mirror.read(userId).onItemOrFailure().transformToUni((prefs, failure) -> {
            if (prefs != null) {
                return Uni.createFrom().item(prefs);
            }
            boolean refill = failure == null;
            if (failure != null) {
                LOG.debugf("preference mirror not read (%s); asking PostgreSQL", failure.toString());
            }
            return repository.find(userId)
                    .ifNoItem().after(config.dbTimeout()).fail()
                    .invoke(snapshot -> {
                        if (refill) {
                            mirror.write(userId, snapshot).subscribe().with(
                                    written -> LOG.debugf("preference mirror refilled: %s", written),
                                    t -> LOG.debugf("preference mirror not refilled (%s)", t.toString()));
                        }
                    })
                    .map(PreferenceMirror::toPreferences);
        });
    }

    private void remember(String userId, UserPreferences prefs) {
        if (cache.size() >= config.cacheMaxEntries()) {
            long now = System.nanoTime();
            cache.values().removeIf(e -> now - e.expiresAtNanos() >= 0);
            if (cache.size() >= config.cacheMaxEntries()) {
                cache.clear();
            }
        }
        cache.put(userId, new Cached(prefs, System.nanoTime() + cacheTtlNanos));
    }

    @Override
    public void used(String userId, String context) {
        UsageKey key = new UsageKey(userId, context);
        if (pending.size() >= config.maxPendingCounters() && !pending.containsKey(key)) {
            uncounted.incrementAndGet();
            return;
        }
        long now = System.currentTimeMillis();
        pending.compute(key, (k, c) -> {
            Counter out = c == null ? new Counter() : c;
            out.count++;
            out.lastUsedMillis = Math.max(out.lastUsedMillis, now);
            return out;
        });
    }

    // ---------------------------------------------------------------- usage counts

    /** Adds the counted uses to PostgreSQL in one statement; on failure they are kept for the next flush. */
    @Scheduled(identity = "preference-usage-flush", every = "${aigw.preferences.flush-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> flush() {
        if (pending.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<PreferenceRepository.UsageDelta> batch = new ArrayList<>(Math.min(pending.size(), config.flushMaxBatch()));
        Iterator<UsageKey> keys = pending.keySet().iterator();
        while (keys.hasNext() && batch.size() < config.flushMaxBatch()) {
            UsageKey k = keys.next();
            Counter[] taken = new Counter[1];
            pending.computeIfPresent(k, (key, c) -> {
                taken[0] = c;
                return null;
            });
            if (taken[0] != null) {
                batch.add(new PreferenceRepository.UsageDelta(k.userId(), k.context(), taken[0].count,
                        Instant.ofEpochMilli(taken[0].lastUsedMillis)));
            }
        }
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // bounded: with SKIP, a statement that never answers would stop every later flush. A timeout whose statement
        // still commits later counts that batch twice (its counts are kept for the next flush like any failure).
        return repository.addUsage(batch)
                .ifNoItem().after(config.dbApiTimeout()).fail()
                .invoke(n -> {
                    if (lastFlushError != null) {
                        LOG.infof("preference usage counts written again (%d counters)", batch.size());
                    }
                    lastFlushError = null;
                    LOG.debugf("preference usage flushed: %d counters, %d preferences updated", batch.size(), n);
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(t -> {
                    if (lastFlushError == null) {
                        LOG.warnf("preference usage counts not written (%s); kept for the next flush", t.toString());
                    } else {
                        LOG.debugf("preference usage counts still not written (%s)", t.toString());
                    }
                    lastFlushError = t.getClass().getSimpleName();
                    for (PreferenceRepository.UsageDelta d : batch) {
                        pending.merge(new UsageKey(d.userId(), d.context()), counter(d), (a, b) -> {
                            a.count += b.count;
                            a.lastUsedMillis = Math.max(a.lastUsedMillis, b.lastUsedMillis);
                            return a;
                        });
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    private static Counter counter(PreferenceRepository.UsageDelta d) {
        Counter c = new Counter();
        c.count = d.count();
        c.lastUsedMillis = d.lastUsedAt().toEpochMilli();
        return c;
    }

    void flushAtShutdown(@Observes ShutdownEvent ev) {
        try {
            flush().await().atMost(Duration.ofSeconds(3));
        } catch (RuntimeException e) {
            LOG.warnf("preference usage counts not flushed at shutdown (%s)", e.toString());
        }
    }

    /** (user, context) counters not yet written. */
    public int pendingCounters() {
        return pending.size();
    }

    /** Uses not counted because too many counters were pending. */
    public long uncountedUses() {
        return uncounted.get();
    }

    public String lastFlushError() {
        return lastFlushError;
    }

    // ---------------------------------------------------------------- CRUD

    public Uni<List<View>> list(String userId) {
        checkUser(userId);
        Catalog cat = catalog.current();
        return unavailableIfFailed(repository.find(userId)).map(s -> {
            List<View> out = new ArrayList<>(s.preferences().size());
            for (Preference p : s.preferences()) {
                out.add(view(p, cat, null));
            }
            return out;
        });
    }

    /** The policy and model that apply to a request without a preference. */
    public Map<String, String> defaults(String defaultPolicy) {
        return Map.of("policy", defaultPolicy, "model", config.defaultModel());
    }

    /**
     * Validates against the catalog, stores, mirrors. @return the stored preference, with a warning when the provider
     * is currently unhealthy or its circuit is not closed (accepted anyway: it recovers on its own).
     */
    public Uni<View> put(String userId, String context, String provider, String model) {
        checkUser(userId);
        checkContext(context);
        Catalog cat = catalog.current();
        if (cat == null) {
            throw ApiError.noCandidate("The provider catalog is not loaded yet; try again shortly.",
                    noCandidateRetryAfterSeconds).exception();
        }
        ProviderInfo p = cat.provider(provider);
        if (p == null || !p.enabled()) {
            throw ApiError.badRequest((p == null ? "Unknown provider '" : "The provider is disabled: '") + provider + "'.",
                    "provider", "invalid_provider").exception();
        }
        if (p.model(model) == null) {
            throw ApiError.badRequest("The provider '" + provider + "' does not list the model '" + model + "'.",
                    "model", "invalid_model").exception();
        }
        String warning = null;
        String breaker = breakers.state(provider);
        if (!p.healthy()) {
            warning = "The provider '" + provider + "' is currently unhealthy: requests are served by other candidates until it recovers.";
        } else if (breaker != null && !"CLOSED".equals(breaker)) {
            warning = "The provider '" + provider + "' is currently failing (circuit " + breaker
                    + "): requests are served by other candidates until it recovers.";
        }
        String w = warning;
        return unavailableIfFailed(repository.upsert(userId, context, provider, model, config.maxPerUser()))
                .call(s -> publish(userId, s))
                .map(s -> {
                    for (Preference stored : s.preferences()) {
                        if (stored.context().equals(context)) {
                            return view(stored, cat, w);
                        }
                    }
                    throw new IllegalStateException("stored preference not read back");
                });
    }

    /** Fails with a 404 {@code ApiException} when there is no preference for {@code context}. */
    public Uni<Void> delete(String userId, String context) {
        checkUser(userId);
        checkContext(context);
        return unavailableIfFailed(repository.delete(userId, context)).call(s -> publish(userId, s)).replaceWithVoid();
    }

    /**
     * A PostgreSQL failure of the preferences API, or no answer within {@code db-api-timeout}: 503 with
     * {@code retry-after} (an {@code ApiException} stays as it is).
     */
    private <T> Uni<T> unavailableIfFailed(Uni<T> uni) {
        return uni.ifNoItem().after(config.dbApiTimeout()).fail().onFailure(t -> !(t instanceof ApiException)).transform(t -> {
            LOG.warnf("preference store unavailable: %s", t.toString());
            return new ApiError(503, "api_error", "preferences_unavailable", null,
                    "The preference store is unavailable; try again shortly.", null)
                    .withHeader("retry-after", Long.toString(Math.max(1, noCandidateRetryAfterSeconds))).exception();
        });
    }

    /** After the PostgreSQL commit: the mirror (a failure only delays other instances until the mirror expires). */
    private Uni<Void> publish(String userId, PreferenceRepository.Snapshot snapshot) {
        cache.remove(userId);
        return mirror.write(userId, snapshot)
                .onFailure().recoverWithItem(t -> {
                    LOG.warnf("preference mirror not updated after a change (%s); it catches up when it expires", t.toString());
                    return false;
                })
                .invoke(() -> cache.remove(userId))
                .replaceWithVoid();
    }

    private View view(Preference p, Catalog cat, String warning) {
        ProviderInfo pi = cat == null ? null : cat.provider(p.provider());
        ModelInfo mi = pi == null ? null : pi.model(p.model());
        return new View(p.context(), p.provider(), pi == null ? null : pi.displayName(), p.model(),
                mi == null ? null : mi.displayName(), p.usageCount(), p.lastUsedAt(), warning);
    }

    static void checkUser(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new ApiError(401, "invalid_request_error", "missing_caller", null,
                    "Missing caller identity (" + AigwHeaders.CALLER_USER + ").", null).exception();
        }
        if (userId.length() > MAX_USER_ID) {
            throw ApiError.badRequest("Caller identity too long.", null, "invalid_caller").exception();
        }
    }

    static void checkContext(String context) {
        if (context == null || !CONTEXT.matcher(context).matches()) {
            throw ApiError.badRequest("The context must match " + AigwHeaders.CONTEXT_PATTERN
                    + " ('default' is your default).", "context", "invalid_context").exception();
        }
    }
}
