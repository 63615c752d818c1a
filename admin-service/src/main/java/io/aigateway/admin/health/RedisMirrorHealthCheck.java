package io.aigateway.admin.health;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Reports the Redis key mirror's state without ever going DOWN: admin-service does its job without Redis
 * (the edge falls back to the internal lookup), so only PostgreSQL decides readiness.
 */
@Readiness
@ApplicationScoped
public class RedisMirrorHealthCheck implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final ReactiveRedisDataSource redis;

    public RedisMirrorHealthCheck(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("PING")
                .ifNoItem().after(TIMEOUT).fail()
                .map(r -> "up")
                .onFailure().recoverWithItem("down")
                .map(state -> HealthCheckResponse.named("redis-key-mirror").up()
                        .withData("redis", state)
                        .withData("degraded", !"up".equals(state))
                        .build());
    }
}
