package io.aigateway.routing.preferences;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** User preferences: the Redis mirror, the local cache of the request path, usage-count flushing ({@code aigw.preferences.*}). */
@ConfigMapping(prefix = "aigw.preferences")
public interface PreferencesConfig {

    /** Redis hash per user: {@code <prefix><userId>}, field {@code context} → {@code provider/model}. */
    @WithDefault("aigw:pref:v1:")
    String redisPrefix();

    /** Lifetime of a user's mirror hash (rebuilt from PostgreSQL on the next miss); bounds staleness after a failed mirror write. */
    @WithDefault("1h")
    Duration mirrorTtl();

    /** A mirror read slower than this counts as a Redis failure (PostgreSQL is asked instead). */
    @WithDefault("250ms")
    Duration redisTimeout();

    /** Longest wait for PostgreSQL on a mirror miss on the request path (then: no preference, configured order). */
    @WithDefault("1s")
    Duration dbTimeout();

    /**
     * Longest wait for PostgreSQL in the preferences API (then 503 {@code preferences_unavailable}) and in a usage
     * flush (then the counts are kept for the next flush).
     */
    @WithDefault("3s")
    Duration dbApiTimeout();

    /** While the schema migration at start has not succeeded (PostgreSQL unavailable), it is retried at this interval. */
    @WithDefault("10s")
    Duration migrateRetryInterval();

    /** How long an instance reuses a user's preferences without asking Redis (another instance's change shows after this). */
    @WithDefault("2s")
    Duration cacheTtl();

    @WithDefault("10000")
    int cacheMaxEntries();

    /** Usage counts are kept in memory and written in one statement per flush at this interval. */
    @WithDefault("10s")
    Duration flushInterval();

    /** Most (user, context) counters written by one flush; the rest wait for the next one. */
    @WithDefault("5000")
    int flushMaxBatch();

    /** Most (user, context) counters held in memory (PostgreSQL down); uses beyond it are not counted. */
    @WithDefault("100000")
    int maxPendingCounters();

    /** Most preferences (contexts) one user may store. */
    @WithDefault("64")
    int maxPerUser();

    /** The model (group) that applies when a request names none; reported as {@code defaults.model} by GET. */
    @WithDefault("chat-default")
    String defaultModel();
}
