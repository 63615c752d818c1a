package io.aigateway.routing.health;

import io.aigateway.routing.catalog.Catalog;
import io.aigateway.routing.catalog.CatalogService;
import io.aigateway.routing.configtopic.ConfigTopicListener;
import io.aigateway.routing.usage.UsagePublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the catalog, usage delivery and {@code ai.config.v1} state. Always UP: routing degrades (503 until the
 * catalog is loaded, usage spooled while Kafka is down, the file's configuration and adapter's catalog while the
 * config topic cannot be read) rather than being taken out of service.
 */
@Readiness
@ApplicationScoped
public class RoutingReadinessCheck implements HealthCheck {

    private final CatalogService catalog;
    private final UsagePublisher usage;
    private final ConfigTopicListener configTopic;

    public RoutingReadinessCheck(CatalogService catalog, UsagePublisher usage, ConfigTopicListener configTopic) {
        this.catalog = catalog;
        this.usage = usage;
        this.configTopic = configTopic;
    }

    @Override
    public HealthCheckResponse call() {
        Catalog c = catalog.current();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("routing").up()
                .withData("catalogLoaded", c != null)
                .withData("providers", c == null ? 0 : c.providers().size())
                .withData("usageDelivery", usage.degraded() ? "degraded (spooling)" : "ok")
                .withData("usageSpooled", usage.spooledCount())
                .withData("configTopic", configTopic.status())
                .withData("configRecords", configTopic.records());
        if (c != null) {
            b.withData("catalogLoadedAt", c.loadedAt().toString());
        }
        if (catalog.lastError() != null) {
            b.withData("catalogError", catalog.lastError());
        }
        return b.build();
    }
}
