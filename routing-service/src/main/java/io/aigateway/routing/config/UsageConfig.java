package io.aigateway.routing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Usage event delivery: Kafka ack timeout and the local spool for what Kafka did not take. */
@ConfigMapping(prefix = "aigw.usage")
public interface UsageConfig {

    /** Directory of the spool of undelivered usage events. */
    String spoolDir();

    /** Time Kafka has to acknowledge an event before it is spooled. */
    @WithDefault("10s")
    Duration sendTimeout();

    /** How often unacknowledged events are checked against {@link #sendTimeout()} (one sweep, no timer per event). */
    @WithDefault("1s")
    Duration ackCheckInterval();

    /** How often the spool is resent. */
    @WithDefault("15s")
    Duration spoolResendInterval();

    /** Delay of the first spool resend after start (lets the messaging channels connect first). */
    @WithDefault("30s")
    Duration spoolResendDelay();

    /** Whether the topic is created at start when missing. */
    @WithDefault("true")
    boolean createTopic();
}
