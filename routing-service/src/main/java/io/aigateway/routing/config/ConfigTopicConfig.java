package io.aigateway.routing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Following {@code ai.config.v1}: admins' provider overrides, model groups and breaker resets. */
@ConfigMapping(prefix = "aigw.config-topic")
public interface ConfigTopicConfig {

    /** Off: routing runs on the configuration file and adapter's catalog only. */
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
}
