package io.aigateway.edge.usage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** usage-service location ({@code aigw.usage-service.*}): the caller's own usage and quota. */
@ConfigMapping(prefix = "aigw.usage-service")
public interface UsageServiceConfig {

    @WithDefault("http://127.0.0.1:8083")
    String url();

    @WithDefault("10")
    int poolSize();

    @WithDefault("5s")
    Duration timeout();
}
