package io.aigateway.admin.config.publish;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code aigw.config-publish.*}: how admin-service publishes run-time configuration on {@code ai.config.v1}. */
@ConfigMapping(prefix = "aigw.config-publish")
public interface ConfigPublishConfig {

    /** Kafka bootstrap servers (default {@code kafka.bootstrap.servers}, env {@code KAFKA_BOOTSTRAP_SERVERS}). */
    @WithDefault("127.0.0.1:9092")
    String bootstrapServers();

    @WithDefault("ai.config.v1")
    String topic();

    /**
     * How long one publication may take (metadata, send, acknowledgement by every in-sync replica). Past it the
     * change is answered as stored but not published, and the republish job sends it.
     */
    @WithDefault("5s")
    Duration sendTimeout();

    /** How often unpublished revisions are looked for and sent (and the topic created, if that failed at start). */
    @WithDefault("10s")
    Duration republishInterval();
}
