package io.aigateway.routing.health;

import io.aigateway.routing.catalog.Catalog;
import io.aigateway.routing.catalog.CatalogService;
import io.aigateway.routing.usage.UsagePublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the catalog and usage delivery state. Always UP: routing degrades (503 until the catalog is
 * loaded, usage spooled while Kafka is down) rather than being taken out of service.
 */
@Readiness
@ApplicationScoped
public class RoutingReadinessCheck implements HealthCheck {

    private final CatalogService catalog;
    private final UsagePublisher usage;

    public RoutingReadinessCheck(CatalogService catalog, UsagePublisher usage) {
        this.catalog = catalog;
        this.usage = usage;
    }

    @Override
    public HealthCheckResponse call() {
        Catalog c = catalog.current();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("routing").up()
                .withData("catalogLoaded", c != null)
                .withData("providers", c == null ? 0 : c.providers().size())
                .withData("usageDelivery", usage.degraded() ? "degraded (spooling)" : "ok")
                .withData("usageSpooled", usage.spooledCount());
        if (c != null) {
            b.withData("catalogLoadedAt", c.loadedAt().toString());
        }
        if (catalog.lastError() != null) {
            b.withData("catalogError", catalog.lastError());
        }
        return b.build();
    }
}
