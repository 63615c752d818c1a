package io.aigateway.edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Edge-specific settings ({@code aigw.edge.*}). */
@ConfigMapping(prefix = "aigw.edge")
public interface EdgeConfig {

    /** Largest accepted request body on {@code /v1}; larger → 413 in the OpenAI envelope. */
    @WithDefault("8388608")
    long maxBodyBytes();

    /** How long {@code GET /v1/models} answers are reused. */
    @WithDefault("5s")
    Duration modelsCacheTtl();

    /** How long the readiness check waits for a Redis PING (the answer only feeds the details). */
    @WithDefault("1s")
    Duration healthRedisTimeout();

    Auth auth();

    interface Auth {
        @WithDefault("5s")
        Duration positiveTtl();

        @WithDefault("2s")
        Duration negativeTtl();

        @WithDefault("10000")
        int maxEntries();

        /** Redis lookups slower than this count as a Redis failure (falls back to admin-service). */
        @WithDefault("250ms")
        Duration redisTimeout();

        /** After a Redis failure, go straight to admin-service for this long. */
        @WithDefault("5s")
        Duration redisBackoff();

        @WithDefault("2s")
        Duration adminTimeout();
    }
}
