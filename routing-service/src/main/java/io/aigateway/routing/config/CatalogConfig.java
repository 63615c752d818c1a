package io.aigateway.routing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How often the provider catalog is re-read from adapter-service. */
@ConfigMapping(prefix = "aigw.catalog")
public interface CatalogConfig {

    /** Age after which a loaded catalog is refreshed. */
    @WithDefault("30s")
    Duration refreshInterval();

    /** Tick of the background refresher: retry interval while not loaded or after a failed refresh. */
    @WithDefault("2s")
    Duration retryInterval();
}
