package io.aigateway.routing.metrics;

import io.aigateway.routing.catalog.CatalogService;
import io.aigateway.routing.config.MetricsConfig;
import io.aigateway.routing.route.ModelGroups;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The per-request and usage-delivery meters, with their label bounds (catalog, model groups, context allowlist). */
@Singleton
public class MetricsBeans {

    @Produces
    @Singleton
    RequestMetrics requestMetrics(MeterRegistry registry, MetricsConfig config, CatalogService catalog, ModelGroups groups) {
        return new RequestMetrics(registry, new MetricLabels(catalog::current, groups::current, config.contexts()));
    }

    @Produces
    @Singleton
    UsageEventMetrics usageEventMetrics(MeterRegistry registry) {
        return new UsageEventMetrics(registry);
    }
}
