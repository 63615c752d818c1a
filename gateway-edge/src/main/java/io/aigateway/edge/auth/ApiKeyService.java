package io.aigateway.edge.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.ApiKeyRecord;
import io.aigateway.contracts.internal.KeyHashing;
import io.aigateway.edge.config.EdgeConfig;
import io.aigateway.support.http.BearerTokens;
import io.aigateway.support.redis.RedisOutageGate;
import io.aigateway.edge.metrics.EdgeMetrics;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates {@code Authorization: Bearer aigw_…} (and hands any other bearer that looks like a JWT to
 * {@link OidcTokenVerifier}): SHA-256 of the key → local cache (positive and negative
 * answers, bounded, in-flight lookups shared) → Redis mirror {@code aigw:key:<hash>} → admin-service lookup
 * on a Redis miss or failure. Redis down only degrades: after a failure Redis is skipped for a while.
 * <p>
 * Revocations ({@link KeyRevocationListener}): a revoked hash is dropped from the cache at once, and for
 * {@code revocations.marker-ttl} its lookups skip the mirror (which may still hold it) and ask admin-service.
 * While the revocation subscription is not confirmed, positive answers are kept only
 * {@code revocations.degraded-positive-ttl} (1 s), so a revocation still takes effect within it.
 */
@ApplicationScoped
public class ApiKeyService {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    /** The role every route of the user API requires ({@code /v1/**}, {@code /api/v1/ai/preferences}). */
    public static final String USER_ROLE = "user";

    private final ReactiveRedisDataSource redisDataSource;
    private final ReactiveValueCommands<String, String> redis;
    private final AdminKeyClient admin;
    private final OidcTokenVerifier oidc;
    private final ObjectMapper mapper;
    private final EdgeMetrics metrics;
    private final long positiveTtlNanos;
    private final long degradedPositiveTtlNanos;
    private final long markerTtlNanos;
    private final String mirrorPrefix;
    private final long negativeTtlNanos;
    private final int maxEntries;
    private final Duration redisTimeout;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    /** Hashes revoked recently (→ until when, nanoTime): looked up at admin-service, never in the mirror. */
    private final ConcurrentHashMap<String, Long> revokedMarkers = new ConcurrentHashMap<>();
    /** Whether the revocation subscription is confirmed (false until it is, and while it is lost). */
    private volatile boolean revocationFeedLive;
    /** Skips Redis while it is down (service-support's one outage gate): lookups go to admin-service meanwhile. */
    private final RedisOutageGate redisGate;
    private volatile String lastRedisError;

    public ApiKeyService(ReactiveRedisDataSource redis, AdminKeyClient admin, ObjectMapper mapper,
                         EdgeMetrics metrics, EdgeConfig config, OidcTokenVerifier oidc) {
        this.oidc = oidc;
        this.redisDataSource = redis;
        this.redis = redis.value(String.class, String.class);
        this.admin = admin;
        this.mapper = mapper;
        this.metrics = metrics;
        EdgeConfig.Auth auth = config.auth();
        this.positiveTtlNanos = auth.positiveTtl().toNanos();
        this.degradedPositiveTtlNanos = Math.min(positiveTtlNanos, auth.revocations().degradedPositiveTtl().toNanos());
        this.markerTtlNanos = auth.revocations().markerTtl().toNanos();
        this.mirrorPrefix = auth.mirrorPrefix();
        this.negativeTtlNanos = auth.negativeTtl().toNanos();
        this.maxEntries = Math.max(16, auth.maxEntries());
        this.redisTimeout = auth.redisTimeout();
        this.redisGate = new RedisOutageGate("key lookups", redis, 1, auth.redisBackoff(), auth.redisTimeout(),
                auth.redisTimeout(), () -> { });
        metrics.redisGate(redisGate);
    }

    /**
     * Opens the Redis connection at start (without waiting for it), so that the first key lookups do not pay
     * for connection setup and, on a busy machine, run into the lookup timeout and the Redis back-off.
     */
    void warmUp(@Observes StartupEvent ev) {
        redisDataSource.execute("PING").subscribe().with(
                ok -> LOG.debug("Redis answered the start-up PING"),
                t -> LOG.infof("Redis did not answer the start-up PING (%s); key lookups use admin-service until it does",
                        t.getClass().getSimpleName()));
    }

    /**
     * Authenticates a caller of the user API (every public route of the edge): a live key with role
     * {@value #USER_ROLE}, or an OIDC bearer token (anything that is not an {@code aigw_} key and has the shape of a
     * JWT) verified by {@link OidcTokenVerifier} with that role.
     *
     * @param authorization the raw {@code Authorization} header (may be null)
     * @return the caller, or a failure with {@code ApiException}: 401 (no, unknown, revoked or expired key; a token
     * refused or OIDC off: {@code invalid_token}),
     * 403 {@code permission_error} (a live key without role {@value #USER_ROLE}, e.g. an admin-only key), or 503
     * when no key source answers
     */
    public Uni<Caller> authenticate(String authorization) {
        String key = bearerKey(authorization);
        if (key == null) {
            String bearer = BearerTokens.parse(authorization);
            if (OidcTokenVerifier.looksLikeToken(bearer)) {
                return oidc.verify(bearer).map(ApiKeyService::withUserRole);
            }
            return Uni.createFrom().failure(missingKey(authorization == null).exception());
        }
        return lookup(KeyHashing.sha256Hex(key)).map(caller -> {
            if (caller == null || caller.key().expired(System.currentTimeMillis())) {
                throw invalidKey().exception();
            }
            if (!caller.key().hasRole(USER_ROLE)) {
                throw missingRole().exception();
            }
            return caller;
        });
    }

    private static Caller withUserRole(Caller caller) {
        if (!caller.key().hasRole(USER_ROLE)) {
            throw ApiError.forbidden("This token does not have the '" + USER_ROLE + "' role required by this API.")
                    .withHeader("x-should-retry", "false").exception();
        }
        return caller;
    }

    /**
     * A revocation message (or any change that reduces a key's rights): forgets the cached answer at once, and
     * for {@code marker-ttl} asks admin-service instead of the mirror. A lookup already in flight keeps its own
     * answer for the requests already waiting on it, but is no longer in the cache, so it cannot re-add it.
     */
    public void revoked(String hash) {
        long now = System.nanoTime();
        if (revokedMarkers.size() >= maxEntries) {
            revokedMarkers.values().removeIf(until -> now - until >= 0);
            if (revokedMarkers.size() >= maxEntries) {
                revokedMarkers.clear();
            }
        }
        revokedMarkers.put(hash, now + markerTtlNanos);
        cache.remove(hash);
    }

    /**
     * Called by {@link KeyRevocationListener}: the subscription is confirmed ({@code true}) or lost
     * ({@code false}). On loss every cached answer is dropped (messages may have been missed) and positive answers
     * are kept only {@code degraded-positive-ttl} until it is back.
     */
    public void revocationFeed(boolean live) {
        boolean was = revocationFeedLive;
        revocationFeedLive = live;
        if (was && !live) {
            cache.clear();
        }
    }

    /** Whether revocation messages are being received (else positive answers expire after 1 s). */
    public boolean revocationFeedLive() {
        return revocationFeedLive;
    }

    /** Whether Redis failed recently (key lookups go to admin-service meanwhile). */
    public boolean redisDegraded() {
        return redisGate.isClosed();
    }

    public String lastRedisError() {
        return lastRedisError;
    }

    /** Drops the local cache (tests, or after a key change is known). */
    public void invalidateAll() {
        cache.clear();
    }

    static String bearerKey(String authorization) {
        String key = BearerTokens.parse(authorization);
        return KeyHashing.looksLikeKey(key) ? key : null;
    }

    private Uni<Caller> lookup(String hash) {
        long now = System.nanoTime();
        Entry existing = cache.get(hash);
        if (existing != null && existing.usable(now)) {
            metrics.authCacheHit();
            return existing.uni;
        }
        Entry fresh = new Entry(hash);
        Entry winner = cache.compute(hash, (k, old) -> old != null && old.usable(now) ? old : fresh);
        if (winner != fresh) {
            metrics.authCacheHit();
            return winner.uni;
        }
        metrics.authCacheMiss();
        if (cache.size() > maxEntries) {
            evict(now);
        }
        return fresh.uni;
    }

    private void evict(long now) {
        for (Iterator<Map.Entry<String, Entry>> it = cache.entrySet().iterator(); it.hasNext(); ) {
            Entry e = it.next().getValue();
            if (!e.usable(now)) {
                it.remove();
            }
        }
        int target = maxEntries - maxEntries / 10;
        for (Iterator<String> it = cache.keySet().iterator(); it.hasNext() && cache.size() > target; ) {
            it.next();
            it.remove();
        }
    }

    private Uni<Caller> load(String hash) {
        if (recentlyRevoked(hash)) {
            return fromAdmin(hash).map(rec -> rec == null ? null : Caller.of(rec));
        }
        return fromRedis(hash)
                .onItem().ifNull().switchTo(() -> fromAdmin(hash))
                .map(rec -> rec == null ? null : Caller.of(rec));
    }

    private boolean recentlyRevoked(String hash) {
        Long until = revokedMarkers.get(hash);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until < 0) {
            return true;
        }
        revokedMarkers.remove(hash, until);
        return false;
    }

    private Uni<ApiKeyRecord> fromRedis(String hash) {
        if (!redisGate.available()) {
            return Uni.createFrom().nullItem();
        }
        return redis.get(mirrorPrefix + hash)
                .ifNoItem().after(redisTimeout).fail()
                .map(json -> {
                    redisGate.success();
                    if (json == null) {
                        metrics.keyLookup("redis", "absent");
                        return (ApiKeyRecord) null;
                    }
                    try {
                        ApiKeyRecord rec = mapper.readValue(json, ApiKeyRecord.class);
                        metrics.keyLookup("redis", "found");
                        return rec;
                    } catch (Exception e) {
                        metrics.keyLookup("redis", "error");
                        LOG.warnf("Unreadable key record in Redis (%s); asking admin-service", e.getClass().getSimpleName());
                        return null;
                    }
                })
                .onFailure().recoverWithItem(t -> {
                    metrics.keyLookup("redis", "error");
                    lastRedisError = t.getClass().getSimpleName() + ": " + t.getMessage();
                    redisGate.failure(t);
                    LOG.warnf("Redis key lookup failed (%s); asking admin-service", lastRedisError);
                    return null;
                });
    }

    private Uni<ApiKeyRecord> fromAdmin(String hash) {
        return admin.lookup(hash)
                .invoke(rec -> metrics.keyLookup("admin", rec == null ? "absent" : "found"))
                .onFailure().transform(t -> {
                    metrics.keyLookup("admin", "error");
                    LOG.warnf("admin-service key lookup failed: %s", t.toString());
                    return new ApiError(503, "api_error", "auth_unavailable", null,
                            "The gateway cannot verify API keys right now; please retry.", null)
                            .withHeader("retry-after", "1").exception();
                });
    }

    private static ApiError missingKey(boolean absent) {
        String msg = absent
                ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
                : "Incorrect API key provided. Keys start with 'aigw_' and are sent as 'Authorization: Bearer <key>'.";
        return ApiError.unauthorized(msg).withHeader("x-should-retry", "false");
    }

    private static ApiError invalidKey() {
        return ApiError.unauthorized("Incorrect API key provided.").withHeader("x-should-retry", "false");
    }

    private static ApiError missingRole() {
        return ApiError.forbidden("This API key does not have the '" + USER_ROLE + "' role required by this API.")
                .withHeader("x-should-retry", "false");
    }

    /** A cache slot: the shared lookup, usable while in flight and until its TTL after it resolved. */
    private final class Entry {
        final Uni<Caller> uni;
        volatile boolean resolved;
        volatile long expiresAtNanos;

        Entry(String hash) {
            // Deferred: the revocation marker is checked when the lookup starts, i.e. after this entry is in the
            // cache, where a revocation message arriving from then on removes it.
            this.uni = Uni.createFrom().deferred(() -> load(hash))
                    .onItemOrFailure().invoke((caller, failure) -> {
                        if (failure != null) {
                            cache.remove(hash, this);
                            return;
                        }
                        long ttl = caller == null ? negativeTtlNanos
                                : revocationFeedLive ? positiveTtlNanos : degradedPositiveTtlNanos;
                        expiresAtNanos = System.nanoTime() + ttl;
                        resolved = true;
                    })
                    .memoize().indefinitely();
        }

        boolean usable(long now) {
            return !resolved || now - expiresAtNanos < 0;
        }
    }
}
