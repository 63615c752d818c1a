package io.aigateway.routing.stats;

import io.aigateway.routing.config.RoutingConfig;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** This instance's shared routing statistics: latency EWMAs and round-robin positions (both through Redis). */
@ApplicationScoped
public class RoutingStats {

    private final LatencyStats latency;
    private final RedisRoundRobin roundRobin;

    public RoutingStats(ReactiveRedisDataSource redis, RoutingConfig config) {
        RoutingConfig.Latency l = config.latency();
        this.latency = new LatencyStats(redis, l.redisKey(), l.alpha(), l.redisTimeout());
        this.roundRobin = new RedisRoundRobin(redis, config.roundRobin().redisPrefix(), config.roundRobin().block(),
                l.redisTimeout());
    }

    public LatencyStats latency() {
        return latency;
    }

    public RedisRoundRobin roundRobin() {
        return roundRobin;
    }

    /** Pushes this instance's latency samples to Redis and reloads the shared snapshot (off the request path). */
    @Scheduled(every = "${aigw.routing.latency.sync-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sync() {
        return latency.sync();
    }
}
