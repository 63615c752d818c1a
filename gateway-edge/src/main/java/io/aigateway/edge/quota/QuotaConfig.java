package io.aigateway.edge.quota;

import io.aigateway.contracts.quota.QuotaKeys;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.math.BigDecimal;
import java.time.Duration;

/** Quota enforcement at the edge (docs/quotas.md). */
@ConfigMapping(prefix = "aigw.quota")
public interface QuotaConfig {

    /** Off: no reservation, no headers, no 429 of the gateway's own (the benchmark's "quotas off"). */
    @WithDefault("true")
    boolean enabled();

    /** Redis key prefix of the quota layout (QuotaKeys); the same in routing- and usage-service. */
    @WithDefault(QuotaKeys.DEFAULT_PREFIX)
    String prefix();

    /** How long a reservation nobody settles (a crashed routing instance) holds its estimate. */
    @WithDefault("10m")
    Duration reservationTtl();

    /**
     * Time the reservation script may take; beyond it the local limit decides (and the reservation, which may have
     * been made, is still settled by routing-service under its id).
     */
    @WithDefault("500ms")
    Duration redisTimeout();

    /** After Redis failed (and a PING confirmed it is down): how long the local limit decides without asking Redis. */
    @WithDefault("2s")
    Duration redisBackoff();

    /** Completion tokens reserved when the request sets neither max_completion_tokens nor max_tokens. */
    @WithDefault("256")
    int defaultCompletionTokens();

    /**
     * Characters per prompt token of the estimate (3 overestimates English text, about 4 characters a token, on
     * purpose: an estimate reserves, the usage event charges).
     */
    @WithDefault("3")
    int charsPerToken();

    /** Price per 1K tokens (prompt and completion) reserved at until routing-service's prices have been read. */
    @WithDefault("0.1")
    BigDecimal fallbackPricePer1k();

    /** How often the model prices are read from routing-service. */
    @WithDefault("30s")
    Duration pricesRefresh();

    Local local();

    Lease lease();

    /**
     * Leases (docs/quotas.md): far from every limit, one Redis call reserves for several requests of a user and key,
     * and the edge admits the next ones without calling Redis. A lease is reserved in Redis like as many requests, so
     * it never lets more through; what it did not give out goes back when it closes.
     */
    interface Lease {
        /** Most requests one lease reserves for (1: no leases, one Redis call per request). */
        @WithDefault("32")
        int maxRequests();

        /**
         * A lease of n requests is granted only while every applicable limit has room for this many times n such
         * requests: a lease takes at most 1/factor of what is left, and near a limit every request asks Redis.
         */
        @WithDefault("16")
        int headroomFactor();

        /** How long the edge gives out a lease's slots before it closes it (never past the minute it was granted in). */
        @WithDefault("1s")
        Duration lifetime();

        /** No lease is granted with less than this left in the current minute (its requests are charged to it). */
        @WithDefault("250ms")
        Duration minMinuteLeft();

        /**
         * How long this edge remembers that no limit applies to a user and key (Redis said so) and admits their
         * requests without asking again (0: ask every time). Like a lease's lifetime, it bounds how long a limit an
         * admin sets later takes to apply here.
         */
        @WithDefault("1s")
        Duration unlimitedFor();
    }

    /** The per-instance limit that applies while Redis is down or not loaded by usage-service. */
    interface Local {
        /** Requests per minute and user on one edge instance (N instances admit up to N times this). */
        @WithDefault("60")
        int requestsPerMinute();
    }
}
