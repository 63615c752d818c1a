package io.aigateway.routing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;

/** Label bounds of routing's metrics (docs/architecture.md, "Observability": no unbounded label values). */
@ConfigMapping(prefix = "aigw.metrics")
public interface MetricsConfig {

    /** The {@code context} label values kept as sent ({@code X-Aigw-Context}); any other context is {@code other}. */
    @WithDefault("default,writing,dictionary,chat,code")
    List<String> contexts();
}
