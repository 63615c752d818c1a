package io.aigateway.usage.health;

import io.aigateway.usage.config.UsageConfig;
import io.aigateway.usage.records.listener.KafkaAdminProvider;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * usage-service cannot do its job without Kafka. Unlike the built-in Kafka check (which waits on the admin
 * client's 60 s default API timeout), this one is non-blocking and answers DOWN within a bounded time.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "Kafka broker";

    private final KafkaAdminProvider admins;
    private final Duration timeout;

    public KafkaReadinessCheck(KafkaAdminProvider admins, UsageConfig config) {
        this.admins = admins;
        this.timeout = config.health().kafkaTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        int timeoutMs = (int) timeout.toMillis();
        return Uni.createFrom().<Collection<Node>>emitter(em -> {
                    try {
                        admins.admin().describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                                .whenComplete((nodes, failure) -> {
                                    if (failure != null) {
                                        em.fail(failure);
                                    } else {
                                        em.complete(nodes);
                                    }
                                });
                    } catch (RuntimeException e) {
                        em.fail(e);
                    }
                })
                .ifNoItem().after(timeout.plusMillis(500)).fail()
                .map(nodes -> nodes.isEmpty()
                        ? HealthCheckResponse.named(NAME).down().withData("reason", "no broker").build()
                        : HealthCheckResponse.named(NAME).up().withData("nodes", nodes.stream()
                        .map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","))).build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(NAME).down()
                        .withData("reason", e.getClass().getSimpleName()).build());
    }
}
