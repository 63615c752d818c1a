package io.aigateway.routing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** Model groups and the deadlines of the routing loop (ARCHITECTURE.md, "Deadlines and limits"). */
@ConfigMapping(prefix = "aigw.routing")
public interface RoutingConfig {

    /** Model groups: {@code aigw.routing.groups.<name>=providerId/modelId,providerId/modelId}. */
    Map<String, String> groups();

    /** Total deadline of a non-streamed request, fallbacks included. */
    @WithDefault("60s")
    Duration deadline();

    /** Deadline to the first content of a stream, fallbacks included. */
    @WithDefault("30s")
    Duration streamFirstTokenTimeout();

    /** Maximum silence between two stream chunks once content has started. */
    @WithDefault("30s")
    Duration streamIdleTimeout();

    /** {@code retry-after} (seconds) when candidates exist but none is available, or the catalog is not loaded. */
    @WithDefault("5")
    long noCandidateRetryAfterSeconds();

    /** Largest request body accepted on the internal hop (the edge allows 8 MB). */
    @WithDefault("16777216")
    long maxBodyBytes();
}
