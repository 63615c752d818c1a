package io.aigateway.adapter.health;

import io.aigateway.adapter.catalog.ProviderCatalog;
import io.aigateway.adapter.provider.ProviderAdapter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the catalog is loaded. Provider health is reported as data only: an unhealthy provider is
 * routing's concern, never a reason to take this service out of rotation.
 */
@Readiness
@ApplicationScoped
public class CatalogReadinessCheck implements HealthCheck {

    private final ProviderCatalog catalog;
    private final ProviderHealthMonitor monitor;

    public CatalogReadinessCheck(ProviderCatalog catalog, ProviderHealthMonitor monitor) {
        this.catalog = catalog;
        this.monitor = monitor;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("provider-catalog").up();
        for (ProviderAdapter a : catalog.adapters()) {
            builder.withData(a.id(), !a.settings().enabled() ? "disabled"
                    : monitor.healthy(a.id()) ? "healthy" : "unhealthy");
        }
        return builder.build();
    }
}
