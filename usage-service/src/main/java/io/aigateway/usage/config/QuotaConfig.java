package io.aigateway.usage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Quotas: usage-service owns tiers and limits (PostgreSQL) and keeps the Redis copy the edge reads filled. */
@ConfigMapping(prefix = "aigw.quota")
public interface QuotaConfig {

    /** The tier of users without a quota row (and of users whose row names no tier). */
    @WithDefault("free")
    String defaultTier();

    /** Prefix of every quota key in Redis (QuotaKeys); the edge and routing must use the same. */
    @WithDefault("aigw:q:")
    String prefix();

    /** How often the {@code ready} key is checked; when missing (flushed, new Redis), everything is loaded again. */
    @WithDefault("1s")
    Duration readyCheckInterval();

    /** How often limits are rewritten and counters corrected from PostgreSQL (never lowered). */
    @WithDefault("5m")
    Duration reconcileInterval();

    /** Whether answers served from the response cache count their tokens against token limits. */
    @WithDefault("false")
    boolean cacheHitTokens();

    /**
     * Lifetime of the Redis lock that keeps replicas from loading at the same time: longer than a load (tens of ms
     * to a few seconds), short enough that a lock a failed load could not release delays the next load little.
     */
    @WithDefault("30s")
    Duration lockTtl();

    /** Bound on one Redis call of the loader and the API (Redis down: fail fast, retry next tick). */
    @WithDefault("5s")
    Duration redisTimeout();

    Alerts alerts();

    interface Alerts {
        /** Optional: every alert is also POSTed (JSON) to this URL, once, without retries. */
        Optional<String> webhookUrl();

        @WithDefault("5s")
        Duration webhookTimeout();
    }
}
