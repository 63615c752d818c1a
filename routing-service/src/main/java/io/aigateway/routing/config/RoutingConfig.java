package io.aigateway.routing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** Model groups and the deadlines of the routing loop (docs/architecture.md, "Routing"). */
@ConfigMapping(prefix = "aigw.routing")
public interface RoutingConfig {

    /** Model groups: {@code aigw.routing.groups.<name>=providerId/modelId,providerId/modelId}. */
    Map<String, String> groups();

    /** Total deadline of a non-streamed request, fallbacks included. */
    @WithDefault("60s")
    Duration deadline();

    /** Deadline to the first content of a stream, fallbacks included. */
    @WithDefault("30s")
    Duration streamFirstTokenTimeout();

    /** Maximum silence between two stream chunks once content has started. */
    @WithDefault("30s")
    Duration streamIdleTimeout();

    /** {@code retry-after} (seconds) when candidates exist but none is available, or the catalog is not loaded. */
    @WithDefault("5")
    long noCandidateRetryAfterSeconds();

    /** Largest request body accepted on the internal hop (the edge allows 8 MB). */
    @WithDefault("16777216")
    long maxBodyBytes();

    /** Policy when the request names none ({@code X-Aigw-Policy}); one of the wire names of RoutePolicy. */
    @WithDefault("user-preference")
    String defaultPolicy();

    /** Completion budget assumed for cost and context checks when the request sets no max tokens. */
    @WithDefault("1024")
    int defaultMaxTokens();

    Retry retry();

    Breaker breaker();

    Latency latency();

    RoundRobin roundRobin();

    /** Retries of the same candidate (classes with retrySameProvider): exponential backoff, full jitter. */
    interface Retry {
        @WithDefault("2")
        int maxRetries();

        @WithDefault("1s")
        Duration baseDelay();

        /** Cap of one backoff sleep. */
        @WithDefault("8s")
        Duration maxDelay();

        /** A provider's Retry-After longer than this: no retry of that provider, fall back instead. */
        @WithDefault("10s")
        Duration maxRetryAfter();

        /** No retry or fallback attempt starts with less than this left before the deadline. */
        @WithDefault("500ms")
        Duration minAttemptTime();
    }

    /** Per-provider circuit breakers. */
    interface Breaker {
        /** Open when the last N calls all failed with a breaker-counting class. */
        @WithDefault("5")
        int failureThreshold();

        /** Open → half-open after this. */
        @WithDefault("60s")
        Duration delay();
    }

    /** Latency statistics (EWMA), shared through Redis. */
    interface Latency {
        @WithDefault("0.2")
        double alpha();

        @WithDefault("1s")
        Duration syncInterval();

        @WithDefault("aigw:routing:latency")
        String redisKey();

        @WithDefault("250ms")
        Duration redisTimeout();
    }

    /** Round-robin positions, shared through Redis in blocks. */
    interface RoundRobin {
        @WithDefault("aigw:routing:rr:")
        String redisPrefix();

        @WithDefault("32")
        int block();
    }
}
