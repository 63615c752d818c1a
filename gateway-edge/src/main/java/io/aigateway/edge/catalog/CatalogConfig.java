package io.aigateway.edge.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** The public model catalog {@code GET /api/v1/ai/models} ({@code aigw.edge.catalog.*}). */
@ConfigMapping(prefix = "aigw.edge.catalog")
public interface CatalogConfig {

    /** How long routing's catalog and usage-service's performance are reused (each on its own). */
    @WithDefault("10s")
    Duration cacheTtl();

    /** {@code Cache-Control: public, max-age=<this>} in seconds. */
    @WithDefault("30")
    int maxAge();

    /** Requests per minute and client address without credentials; 0 = no limit. */
    @WithDefault("60")
    int anonymousRpm();

    /** Client addresses the anonymous limiter tracks at once; a new address beyond it is refused (429). */
    @WithDefault("100000")
    int anonymousMaxAddresses();

    /** usage-service's performance window shown in {@code performance.window}: 15m, 1h or 24h. */
    @WithDefault("1h")
    String performanceWindow();

    /** How long a call to routing-service or usage-service may take. */
    @WithDefault("3s")
    Duration timeout();

    /** {@code description} per model id ({@code aigw.edge.catalog.descriptions."provider/model"=...}). */
    Map<String, String> descriptions();
}
