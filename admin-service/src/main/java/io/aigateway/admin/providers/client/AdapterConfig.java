package io.aigateway.admin.providers.client;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code aigw.adapter.*}: where adapter-service is ({@code AIGW_ADAPTER_URL}) and how long to wait for it. */
@ConfigMapping(prefix = "aigw.adapter")
public interface AdapterConfig {

    @WithDefault("http://127.0.0.1:8082")
    String url();

    /** Total time allowed for one call to adapter-service. */
    @WithDefault("5s")
    Duration timeout();
}
