package io.aigateway.edge.configtopic;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Reports whether {@code ai.config.v1} is followed; always UP (without it prices are re-read on their interval). */
@Readiness
@ApplicationScoped
public class ConfigTopicReadinessCheck implements HealthCheck {

    private final ConfigTopicListener listener;

    public ConfigTopicReadinessCheck(ConfigTopicListener listener) {
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("edge-config-topic").up().withData("configTopic", listener.status()).build();
    }
}
