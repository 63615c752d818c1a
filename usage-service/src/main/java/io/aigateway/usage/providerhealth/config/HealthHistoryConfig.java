package io.aigateway.usage.providerhealth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Provider health history and alerts (ai.health.v1, ai.alerts.v1 stored in PostgreSQL for the admin API). */
@ConfigMapping(prefix = "aigw.health-history")
public interface HealthHistoryConfig {

    /** Rows of {@code usage.provider_health} older than this are deleted by the purge. */
    @WithDefault("90d")
    Duration retention();

    /** How often the purge runs (every replica; the delete is idempotent). */
    @WithDefault("1h")
    Duration purgeInterval();

    Topic topic();

    Query query();

    /** {@code ai.health.v1}, created at start when missing (with {@code aigw.usage.topics.create-at-start}). */
    interface Topic {
        @WithDefault("3")
        int partitions();

        /** Kafka retention of the topic ({@code retention.ms}); the table keeps the history longer. */
        @WithDefault("30d")
        Duration retention();
    }

    /** Page sizes of {@code /internal/v1/health/history} and {@code /internal/v1/alerts}. */
    interface Query {
        @WithDefault("100")
        int defaultLimit();

        @WithDefault("1000")
        int maxLimit();

        /** Default window when {@code from} is absent: {@code to} minus this. */
        @WithDefault("30d")
        Duration defaultWindow();
    }
}
