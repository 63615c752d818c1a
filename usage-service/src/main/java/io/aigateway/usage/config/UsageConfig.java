package io.aigateway.usage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "aigw.usage")
public interface UsageConfig {

    Topics topics();

    Query query();

    Analytics analytics();

    Retry retry();

    Health health();

    Limits limits();

    /**
     * Text of a usage event is stored after {@code records/service/UsageEventSanitizer}: NUL and unpaired
     * surrogates replaced (PostgreSQL text and jsonb cannot hold them), over-long values cut.
     */
    interface Limits {
        /** Longest stored model name ({@code requestedModel}, {@code model}, attempts' {@code model}); the edge's cap is 256 too. */
        @WithDefault("256")
        int maxModelLength();

        /** Longest other stored text value (ids, context, provider, policy, error class). */
        @WithDefault("1024")
        int maxTextLength();
    }

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

    /** Page size of {@code GET /internal/v1/usage/analytics}. */
    interface Analytics {
        @WithDefault("100")
        int defaultLimit();

        @WithDefault("1000")
        int maxLimit();

        /**
         * Most rows the costs JSON holds (it is built in memory); a report with more is a 400 pointing at
         * {@code format=csv}, which streams any number of rows.
         */
        @WithDefault("50000")
        int costsJsonMaxRows();
    }

    /** Back-off for transient database failures while storing an event (retried until it succeeds). */
    interface Retry {
        @WithDefault("100ms")
        Duration initialBackoff();

        @WithDefault("10s")
        Duration maxBackoff();
    }
}
