package io.aigateway.adapter.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * adapter-service configuration: the provider catalog ({@code aigw.providers.<id>.*}), health checks and chat limits. Prices and models are data here, never constants in code.
 */
@ConfigMapping(prefix = "aigw")
public interface AigwConfig {

    /** Providers by id ({@code [a-z][a-z0-9]*}). */
    Map<String, ProviderConfig> providers();

    Health health();

    Chat chat();

    /** Run-time configuration: provider overrides followed on {@code ai.config.v1}. */
    @WithName("config-topic")
    ConfigTopic configTopic();

    interface ConfigTopic {
        /** Whether overrides are read from the topic (off: the file's catalog only). */
        @WithDefault("true")
        boolean enabled();

        /** The compacted configuration topic (tests use a topic of their own). */
        @WithDefault("ai.config.v1")
        String name();

        /** Wait between attempts while Kafka or the topic is missing. */
        @WithDefault("2s")
        Duration retry();
    }

    interface Health {
        /** Whether the background health checks run. */
        @WithDefault("true")
        boolean enabled();

        /** Scheduler interval of the background checks (also used by {@code @Scheduled}). */
        @WithDefault("15s")
        String interval();

        /** A check result older than this counts as unknown (healthy). */
        @WithDefault("60s")
        Duration ttl();

        /** Timeout of one health-check request. */
        @WithDefault("5s")
        Duration timeout();

        /** Interval of the SNAPSHOT events (one per enabled provider) on the health topic. */
        @WithName("snapshot-interval")
        @WithDefault("5m")
        String snapshotInterval();

        /** Consecutive failed checks of a provider before its one alert ({@code provider_unhealthy}). */
        @WithName("alert-after")
        @WithDefault("3")
        int alertAfter();

        /** Optional URL each alert is POSTed to (JSON, once; failures are logged). */
        @WithName("alert-webhook")
        Optional<String> alertWebhook();

        @WithName("alert-webhook-timeout")
        @WithDefault("5s")
        Duration alertWebhookTimeout();

        /** Whether health events and alerts are published on Kafka. */
        @WithDefault("true")
        boolean publish();

        @WithName("topic")
        @WithDefault("ai.health.v1")
        String topic();

        @WithName("alerts-topic")
        @WithDefault("ai.alerts.v1")
        String alertsTopic();

        /** Events waiting for Kafka; when full the oldest is dropped (and counted). */
        @WithName("buffer-size")
        @WithDefault("1000")
        int bufferSize();
    }

    interface Chat {
        /** Largest request body accepted on the chat endpoint. */
        @WithDefault("16777216")
        int maxBodyBytes();
    }

    interface ProviderConfig {
        /** Provider kind, selects the adapter implementation (e.g. {@code openai}). */
        @WithDefault("openai")
        String kind();

        @WithName("display-name")
        Optional<String> displayName();

        /** Base URL of the provider's API, e.g. {@code https://api.openai.com/v1}. */
        @WithName("base-url")
        Optional<String> baseUrl();

        /** Secret; also read from env {@code AIGW_PROVIDERS_<ID>_API_KEY} when unset here. */
        @WithName("api-key")
        Optional<String> apiKey();

        @WithDefault("true")
        boolean enabled();

        /** Whether the provider is unusable without a key; defaults to what the kind says. */
        @WithName("requires-api-key")
        Optional<Boolean> requiresApiKey();

        List<ModelConfig> models();

        /** Client-side request limit per minute of this adapter instance (0 = none); over it calls fail RATE_LIMITED at once. */
        @WithName("rate-limit-per-minute")
        @WithDefault("0")
        int rateLimitPerMinute();

        /** Among candidates a policy ranks equal, a higher priority comes first. */
        @WithDefault("0")
        int priority();

        Pool pool();

        Timeouts timeouts();

        /** Kind {@code tgi}: text-generation-inference settings. */
        Tgi tgi();
    }

    interface Tgi {
        /** Chat template rendering messages into {@code inputs}: {@code mistral}, {@code llama3}, {@code llama2}, {@code chatml}. */
        @WithName("chat-template")
        @WithDefault("mistral")
        String chatTemplate();

        /** On 503 "model is loading": {@code wait} (up to the total timeout, then OVERLOADED) or {@code fallback} (OVERLOADED now). */
        @WithName("on-loading")
        @WithDefault("fallback")
        String onLoading();

        /** Client-side request limit per minute (free tier); 0 = none. With a limit, calls cost 0. */
        @WithName("free-tier-requests-per-minute")
        @WithDefault("0")
        int freeTierRequestsPerMinute();

        /** {@code max_new_tokens} when the request sets no limit. */
        @WithName("default-max-new-tokens")
        @WithDefault("512")
        int defaultMaxNewTokens();
    }

    interface ModelConfig {
        String id();

        @WithName("display-name")
        Optional<String> displayName();

        @WithName("context-window")
        @WithDefault("8192")
        int contextWindow();

        @WithName("prompt-price-per-1k")
        @WithDefault("0")
        BigDecimal promptPricePer1k();

        @WithName("completion-price-per-1k")
        @WithDefault("0")
        BigDecimal completionPricePer1k();

        @WithName("quality-score")
        @WithDefault("0.5")
        double qualityScore();

        @WithDefault("true")
        boolean streaming();

        @WithDefault("false")
        boolean tools();

        @WithDefault("false")
        boolean images();

        @WithDefault("false")
        boolean json();

        /** Kind {@code tgi}: this model's chat template (overrides the provider's {@code tgi.chat-template}). */
        @WithName("chat-template")
        Optional<String> chatTemplate();
    }

    interface Pool {
        @WithName("max-connections")
        @WithDefault("100")
        int maxConnections();

        @WithName("keep-alive")
        @WithDefault("true")
        boolean keepAlive();

        /** Idle pooled connections are closed after this. */
        @WithName("keep-alive-timeout")
        @WithDefault("60s")
        Duration keepAliveTimeout();
    }

    interface Timeouts {
        @WithDefault("5s")
        Duration connect();

        /** Until the response headers (JSON) or the first stream data event (keep-alives do not count). */
        @WithName("first-byte")
        @WithDefault("30s")
        Duration firstByte();

        /** Longest gap between two stream data events. */
        @WithName("between-chunks")
        @WithDefault("30s")
        Duration betweenChunks();

        /** Whole non-streamed call. */
        @WithDefault("60s")
        Duration total();
    }
}
