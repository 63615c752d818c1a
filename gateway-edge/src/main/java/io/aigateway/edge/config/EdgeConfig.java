package io.aigateway.edge.config;

import io.aigateway.contracts.internal.ApiKeyRecord;
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

    Limits limits();

    /**
     * What a chat request may contain beyond the body size (see {@code chat/ChatRequestReader}): each limit
     * exceeded is a 400 in the OpenAI envelope naming the parameter.
     */
    interface Limits {
        /** Longest {@code model}, in characters. */
        @WithDefault("256")
        int maxModelLength();

        /** Longest {@code user}, in characters. */
        @WithDefault("256")
        int maxUserLength();

        /** Longest other identifier (message and function names, tool call ids, roles), in characters. */
        @WithDefault("256")
        int maxIdentifierLength();

        /** Largest {@code max_tokens} / {@code max_completion_tokens} (the smallest is 1). */
        @WithDefault("1000000")
        long maxTokensCap();

        /** Most object members plus array elements in the whole JSON body (counted while parsing). */
        @WithDefault("50000")
        int maxJsonFields();

        /** Deepest nesting of objects and arrays in the JSON body (the top-level object is depth 1). */
        @WithDefault("64")
        int maxJsonDepth();
    }

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

        /** Redis key prefix of admin-service's key mirror ({@code <prefix><sha256hex>}, same as {@code aigw.keys.mirror-prefix}). */
        @WithDefault(ApiKeyRecord.REDIS_PREFIX)
        String mirrorPrefix();

        /** Revocation messages from admin-service (Redis pub/sub), see {@code KeyRevocationListener}. */
        Revocations revocations();
    }

    interface Revocations {
        /** The channel admin-service publishes revoked key hashes on ({@code aigw.keys.revocation-channel}). */
        @WithDefault("aigw:keys:revoked")
        String channel();

        /**
         * Positive cache TTL while the subscription is down or not yet confirmed (instead of {@code positive-ttl}):
         * at most 1 s keeps "a revoked key is refused within 1 s" true without the messages.
         */
        @WithDefault("1s")
        Duration degradedPositiveTtl();

        /** How often this instance publishes a heartbeat on the channel (and checks that the last one came back). */
        @WithDefault("250ms")
        Duration heartbeatInterval();

        /** No own heartbeat received for this long: the subscription counts as lost (cache dropped, resubscribe). */
        @WithDefault("1s")
        Duration heartbeatTimeout();

        /** Wait between attempts to (re)subscribe. */
        @WithDefault("1s")
        Duration retryInterval();

        /** A subscribe not confirmed within this is abandoned (closed if it ever completes) and tried again. */
        @WithDefault("5s")
        Duration subscribeTimeout();

        /**
         * How long, after a revocation message, lookups of that hash skip the Redis mirror and ask admin-service
         * (the mirror may still hold the key when the delete failed, until the mirror repair removes it).
         */
        @WithDefault("2m")
        Duration markerTtl();
    }
}
