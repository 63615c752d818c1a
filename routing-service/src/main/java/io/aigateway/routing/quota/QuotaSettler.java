package io.aigateway.routing.quota;

import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.quota.QuotaLimits;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.support.redis.LuaScript;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Settles the edge's quota reservation with what the request's usage event says (settle.lua), so the amount charged
 * against a user's limits is exactly the amount recorded: tokens and cost of JSON answers, streams, partial streams
 * and cache hits alike; nothing for a request that produced nothing (an ERROR outcome without tokens). Fire and
 * forget: a settle never delays the answer. A settle Redis refused is retried a few times; one that never lands
 * leaves the reservation to expire, and usage-service's reconcile corrects the used counters from PostgreSQL.
 */
@ApplicationScoped
public class QuotaSettler {

    private static final Logger LOG = Logger.getLogger(QuotaSettler.class);
    private static final LuaScript SETTLE = new LuaScript(QuotaKeys.settleScript());

    @ConfigMapping(prefix = "aigw.quota")
    public interface Config {
        /** Redis key prefix of the quota layout (QuotaKeys); the same at the edge and in usage-service. */
        @WithDefault(QuotaKeys.DEFAULT_PREFIX)
        String prefix();

        /** Whether a cache hit's tokens count against token limits (its cost is 0 either way). */
        @WithDefault("false")
        boolean cacheHitTokens();

        /**
         * Time one settle call may take before it counts as failed (and is retried, up to 5 times): settling is off
         * the request path, and giving up leaves the reservation held until it expires.
         */
        @WithDefault("3s")
        Duration redisTimeout();
    }

    private final ReactiveRedisDataSource redis;
    private final Config config;
    private final Counter failures;

    public QuotaSettler(ReactiveRedisDataSource redis, Config config, MeterRegistry registry) {
        this.redis = redis;
        this.config = config;
        this.failures = Counter.builder("aigw_quota_settle_failures_total")
                .description("Quota settlements that did not reach Redis (the reservation expires instead)")
                .register(registry);
    }

    /** Settles {@code reservation} (null: the request had none, nothing to do) with {@code event}'s usage. */
    public void settle(String reservation, UsageEvent event) {
        if (reservation == null || reservation.isEmpty()) {
            return;
        }
        Charge c = charge(event, config.cacheHitTokens());
        SETTLE.run(redis, config.prefix(), reservation, Long.toString(c.requests()), Long.toString(c.tokens()),
                        Long.toString(c.nanoUsd()))
                .ifNoItem().after(config.redisTimeout()).fail()
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(5)
                .subscribe().with(ok -> {
                }, failure -> {
                    failures.increment();
                    LOG.warnf("quota reservation of request %s not settled: %s", event.requestId(), failure.toString());
                });
    }

    /** What one request is charged: a request, its tokens and its cost. */
    public record Charge(long requests, long tokens, long nanoUsd) {
    }

    public static Charge charge(UsageEvent e, boolean cacheHitTokens) {
        boolean produced = e.outcome() != UsageEvent.Outcome.ERROR || e.totalTokens() > 0;
        if (!produced) {
            return new Charge(0, 0, 0);
        }
        long tokens = e.cached() && !cacheHitTokens ? 0 : Math.max(0, e.totalTokens());
        long usd = e.costUsd().signum() > 0 ? QuotaLimits.nanoUsd(e.costUsd()) : 0;
        return new Charge(1, tokens, usd);
    }
}
