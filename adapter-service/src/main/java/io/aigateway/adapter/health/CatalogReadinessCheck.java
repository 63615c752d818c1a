package io.aigateway.adapter.health;

import io.aigateway.adapter.catalog.ProviderCatalog;
import io.aigateway.adapter.catalog.ProviderOverrideFollower;
import io.aigateway.adapter.provider.ProviderAdapter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the catalog is loaded, with or without Kafka (its absence is reported in the details). Provider health is reported as data only: an unhealthy provider is
 * routing's concern, never a reason to take this service out of rotation.
 */
@Readiness
@ApplicationScoped
public class CatalogReadinessCheck implements HealthCheck {

    private final ProviderCatalog catalog;
    private final ProviderHealthMonitor monitor;
    private final ProviderOverrideFollower overrides;
    private final HealthEventPublisher events;

    public CatalogReadinessCheck(ProviderCatalog catalog, ProviderHealthMonitor monitor,
                                 ProviderOverrideFollower overrides, HealthEventPublisher events) {
        this.catalog = catalog;
        this.monitor = monitor;
        this.overrides = overrides;
        this.events = events;
    }

    @Override
    public HealthCheckResponse call() {
        // Kafka down degrades (the file's catalog or the last overrides serve; events wait), never DOWN
        var builder = HealthCheckResponse.named("provider-catalog").up()
                .withData("run-time-config", overrides.status())
                .withData("health-events", events.status());
        for (ProviderAdapter a : catalog.adapters()) {
            builder.withData(a.id(), !a.settings().enabled() ? "disabled"
                    : monitor.healthy(a.id()) ? "healthy" : "unhealthy");
        }
        return builder.build();
    }
}
