package io.aigateway.routing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** How often the provider catalog is re-read from adapter-service. */
@ConfigMapping(prefix = "aigw.catalog")
public interface CatalogConfig {

    /** Age after which a loaded catalog is refreshed. */
    @WithDefault("30s")
    Duration refreshInterval();

    /** Tick of the background refresher: retry interval while not loaded or after a failed refresh. */
    @WithDefault("2s")
    Duration retryInterval();

    /**
     * After a provider override arrives on {@code ai.config.v1}, the catalog is re-read from adapter-service after each
     * of these delays (adapter applies the same record; only its catalog can turn a provider back on).
     */
    @WithDefault("250ms,1s")
    List<Duration> refetchAfterOverride();
}
