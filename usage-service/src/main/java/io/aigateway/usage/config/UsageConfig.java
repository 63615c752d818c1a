package io.aigateway.usage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "aigw.usage")
public interface UsageConfig {

    Topics topics();

    Query query();

    Retry retry();

    Health health();

    interface Health {
        /** How long the Kafka readiness check waits for the broker before reporting DOWN. */
        @WithDefault("3s")
        Duration kafkaTimeout();
    }

    interface Topics {
        /** Create {@code ai.usage.v1} and its DLQ at start when missing (failures only logged). */
        @WithDefault("true")
        boolean createAtStart();

        @WithDefault("6")
        int usagePartitions();

        @WithDefault("10s")
        Duration timeout();
    }

    interface Query {
        @WithDefault("50")
        int defaultLimit();

        @WithDefault("1000")
        int maxLimit();
    }

    /** Back-off for transient database failures while storing an event (retried until it succeeds). */
    interface Retry {
        @WithDefault("100ms")
        Duration initialBackoff();

        @WithDefault("10s")
        Duration maxBackoff();
    }
}
