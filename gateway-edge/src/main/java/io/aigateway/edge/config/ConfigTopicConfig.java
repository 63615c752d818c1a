package io.aigateway.edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** Following {@code ai.config.v1}: the edge re-reads what routing derives from it (prices, the model list). */
@ConfigMapping(prefix = "aigw.edge.config-topic")
public interface ConfigTopicConfig {

    /** Off: prices and the model list are re-read on their own intervals only. */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("ai.config.v1")
    String topic();

    /** Kafka to read it from (defaults to {@code kafka.bootstrap.servers}). */
    @WithDefault("${kafka.bootstrap.servers}")
    String bootstrapServers();

    /** Retry interval while Kafka or the topic is missing. */
    @WithDefault("2s")
    Duration retryInterval();

    /**
     * After a {@code provider:} or {@code group:} record, the prices are re-read from routing-service (and the
     * {@code /v1/models} answer dropped) after each of these delays: routing applies the same record at about the same
     * time, and re-reads adapter's catalog up to 1 s later.
     */
    @WithDefault("1s,2500ms")
    List<Duration> reloadAfter();
}
