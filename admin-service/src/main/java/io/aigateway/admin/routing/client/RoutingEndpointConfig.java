package io.aigateway.admin.routing.client;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code aigw.routing.*}: where routing-service is ({@code AIGW_ROUTING_URL}) and how long to wait for it. */
@ConfigMapping(prefix = "aigw.routing")
public interface RoutingEndpointConfig {

    @WithDefault("http://127.0.0.1:8081")
    String url();

    /** Total time allowed for one call to routing-service. */
    @WithDefault("5s")
    Duration timeout();
}
