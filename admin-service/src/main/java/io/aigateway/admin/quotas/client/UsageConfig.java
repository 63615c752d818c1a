package io.aigateway.admin.quotas.client;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code aigw.usage.*}: where usage-service is ({@code AIGW_USAGE_URL}) and how long to wait for it. */
@ConfigMapping(prefix = "aigw.usage")
public interface UsageConfig {

    @WithDefault("http://127.0.0.1:8083")
    String url();

    /** Total time allowed for one call to usage-service. */
    @WithDefault("5s")
    Duration timeout();
}
