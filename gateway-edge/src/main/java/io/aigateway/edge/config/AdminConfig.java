package io.aigateway.edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** admin-service location ({@code aigw.admin.*}), used for API key lookups on a Redis miss. */
@ConfigMapping(prefix = "aigw.admin")
public interface AdminConfig {

    @WithDefault("http://127.0.0.1:8084")
    String url();

    @WithDefault("20")
    int poolSize();
}
