package io.aigateway.admin.keys.service;

import io.aigateway.contracts.internal.ApiKeyRecord;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code aigw.keys.*}: API key handling. */
@ConfigMapping(prefix = "aigw.keys")
public interface KeysConfig {

    /** How long a Redis mirror write may take before it is given up (the create or revoke still succeeds). */
    @WithDefault("500ms")
    Duration redisTimeout();

    /**
     * How often the mirror is repaired (also once at start): entries PostgreSQL no longer has as live are removed
     * and every live key is re-written with a fresh TTL. {@code off} disables the schedule.
     */
    @WithDefault("30s")
    String mirrorInterval();

    /**
     * TTL of every mirror entry (capped by the key's own expiry), refreshed by each repair run: an entry the
     * repair can no longer refresh (admin-service or PostgreSQL gone) disappears after this long. It is also how
     * long the edge keeps authenticating from Redis alone while admin-service or PostgreSQL are down.
     */
    @WithDefault("1h")
    Duration mirrorTtl();

    /** Redis key prefix of the mirror ({@code <prefix><sha256hex>}); the edge must read the same prefix. */
    @WithDefault(ApiKeyRecord.REDIS_PREFIX)
    String mirrorPrefix();

    /** SCAN COUNT hint of the repair, and the size of the batches it checks against PostgreSQL. */
    @WithDefault("500")
    int mirrorScanCount();

    /**
     * Redis pub/sub channel on which the hash of a revoked key (or of any key whose rights were reduced) is
     * published; every edge instance drops that hash from its local cache.
     */
    @WithDefault("aigw:keys:revoked")
    String revocationChannel();

    /**
     * How long the admin API trusts a looked-up key before asking PostgreSQL again. At most 1 s, so that a key
     * revoked through another admin-service instance is refused here within 1 s too.
     */
    @WithDefault("1s")
    Duration authCacheTtl();

    /** How long an unknown key is remembered as unknown by the admin API. */
    @WithDefault("2s")
    Duration authCacheNegativeTtl();

    /** Bound of the admin API's key cache. */
    @WithDefault("1000")
    int authCacheSize();

    /**
     * At most this many live keys per user for the keys users make themselves ({@code POST
     * /internal/v1/users/{userId}/keys}, on behalf of the edge); one more → 409 {@code too_many_keys}. Keys an
     * admin makes are not limited.
     */
    @WithDefault("20")
    int maxPerUser();
}
