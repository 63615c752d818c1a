package io.aigateway.edge.health;

import io.aigateway.edge.auth.ApiKeyService;
import io.aigateway.edge.config.EdgeConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Reports Redis in the readiness details but stays UP without it: the edge degrades (key lookups go to
 * admin-service) rather than stop serving (docs/architecture.md, "Reliability").
 */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements AsyncHealthCheck {

    private final ReactiveRedisDataSource redis;
    private final ApiKeyService apiKeys;
    private final Duration timeout;

    public RedisReadinessCheck(ReactiveRedisDataSource redis, ApiKeyService apiKeys, EdgeConfig config) {
        this.redis = redis;
        this.apiKeys = apiKeys;
        this.timeout = config.healthRedisTimeout();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("PING")
                .ifNoItem().after(timeout).fail()
                .map(r -> "up")
                .onFailure().recoverWithItem(t -> "down (" + t.getClass().getSimpleName() + ")")
                .map(state -> HealthCheckResponse.named("edge-dependencies")
                        .up()
                        .withData("redis", state)
                        .withData("keyLookups", apiKeys.redisDegraded() ? "admin-service (degraded)" : "redis")
                        .withData("keyRevocations", apiKeys.revocationFeedLive() ? "subscribed"
                                : "not subscribed (degraded: positive key answers kept only degraded-positive-ttl)")
                        .build());
    }
}
