package io.aigateway.routing.cache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The response cache in Redis ({@code aigw.cache.*}; docs/internal-contracts.md, "Response cache"). */
@ConfigMapping(prefix = "aigw.cache")
public interface CacheConfig {

    /** Off ⇒ no lookup, no store, no coalescing, no {@code x-aigw-cache} header. */
    @WithDefault("true")
    boolean enabled();

    /** {@code global}: one answer for everyone; {@code user}: the caller's user id is part of the key. */
    @WithDefault("global")
    String scope();

    /** Versioned prefix of every cache key in Redis (entries, index sets, shared counters). */
    @WithDefault("aigw:cache:v1:")
    String keyPrefix();

    /** TTL of a new entry when the request sends no {@code X-Aigw-Cache-Ttl}. */
    @WithDefault("1h")
    Duration ttl();

    /** Upper bound of {@code X-Aigw-Cache-Ttl} (larger values are clamped). */
    @WithDefault("24h")
    Duration maxTtl();

    /** Entries larger than this (serialised) are not stored. */
    @WithDefault("1048576")
    int maxEntryBytes();

    /** Time allowed for one Redis command on the request path before it counts as a failure. */
    @WithDefault("500ms")
    Duration redisTimeout();

    /** Consecutive Redis failures after which the cache skips Redis for {@link #redisBackoff()}. */
    @WithDefault("5")
    int redisFailureThreshold();

    /** After the failures, how long the background PING that tells "down" from "slow" may take. */
    @WithDefault("2s")
    Duration redisConfirmTimeout();

    /** How long Redis is skipped after it failed; then one background PING decides whether it is back. */
    @WithDefault("5s")
    Duration redisBackoff();

    /** How often expired entries are swept from the index (expirations are counted then). */
    @WithDefault("30s")
    Duration pruneInterval();

    /**
     * Most sweep batches (500 entries each) per {@link #pruneInterval()} tick: a tick repeats while a batch comes
     * back full, so up to {@code 500 × this} expirations are swept per interval; a larger backlog waits for the next.
     */
    @WithDefault("20")
    int pruneMaxRounds();

    /** How often this instance's hit/miss/bypass counts are added to the shared counters in Redis. */
    @WithDefault("2s")
    Duration statsSyncInterval();

    /** Longest a coalesced follower waits for the leader before routing on its own. */
    @WithDefault("65s")
    Duration coalesceMaxWait();

    Warming warming();

    /** {@code POST /internal/v1/cache/warm}. */
    interface Warming {
        /** Most prompts accepted in one call. */
        @WithDefault("200")
        int maxPrompts();

        /** Requests in flight at once. */
        @WithDefault("2")
        int concurrency();

        /** Requests started per second (stays within the providers' rate limits). */
        @WithDefault("2")
        double ratePerSecond();

        /** {@code X-Aigw-Caller-User} of the warming requests (usage is billed to it). */
        @WithDefault("cache-warmer")
        String user();
    }
}
