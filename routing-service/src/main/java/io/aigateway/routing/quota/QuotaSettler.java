package io.aigateway.routing.quota;

import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.quota.QuotaLimits;
import io.aigateway.contracts.quota.QuotaSlot;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.support.redis.LuaScript;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Settles the edge's quota reservations with what each request's usage event says (settle.lua), so the amount charged
 * against a user's limits is exactly the amount recorded: tokens and cost of JSON answers, streams, partial streams
 * and cache hits alike; nothing for a request that produced nothing (an ERROR outcome without tokens). Fire and
 * forget: a settle never delays the answer.
 * <p>
 * Settles are batched: up to {@code aigw.quota.settle-batch} slots, or what arrived within
 * {@code aigw.quota.settle-linger}, go to Redis in one call (one script run adds each counter once), which keeps
 * quotas-on within a few percent of quotas-off under load. A batch Redis refused is retried a few times (settle.lua
 * applies each slot at most once, so a retry of a batch that did land charges nothing twice); one that never lands
 * leaves its reservations to expire, and usage-service's reconcile corrects the used counters from PostgreSQL.
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

        /** Most slots settled in one Redis call. */
        @WithDefault("64")
        int settleBatch();

        /**
         * Longest a settle waits for others to share its Redis call (0: each settle is sent at once). A call for
         * one user and key costs about 32 Redis commands whatever its size (each of their counters written once),
         * plus five per reservation, so under load a longer wait is less Redis work per request. It only delays
         * the release of an estimate already replaced by the request's usage, never an answer.
         */
        @WithDefault("5ms")
        Duration settleLinger();
    }

    private final ReactiveRedisDataSource redis;
    private final Config config;
    private final Vertx vertx;
    private final Counter failures;
    private final ConcurrentLinkedQueue<String[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean timerSet = new AtomicBoolean();

    public QuotaSettler(ReactiveRedisDataSource redis, Config config, Vertx vertx, MeterRegistry registry) {
        this.redis = redis;
        this.config = config;
        this.vertx = vertx;
        this.failures = Counter.builder("aigw_quota_settle_failures_total")
                .description("Quota settlements that did not reach Redis (the reservation expires instead)")
                .register(registry);
    }

    /**
     * Settles the slot named by {@code reservation} (the edge's {@code X-Aigw-Quota-Reservation}; null: the request had
     * none, nothing to do) with {@code event}'s usage.
     */
    public void settle(String reservation, UsageEvent event) {
        if (reservation == null || reservation.isEmpty()) {
            return;
        }
        QuotaSlot slot = QuotaSlot.parse(reservation);
        if (slot == null) {
            LOG.warnf("request %s: quota reservation header not understood, left to expire: %s", event.requestId(),
                    LogSafe.escape(reservation));
            return;
        }
        Charge c = charge(event, config.cacheHitTokens());
        enqueue(slot.settleArgs(c.requests(), c.tokens(), c.nanoUsd()));
    }

    private void enqueue(String[] item) {
        queue.add(item);
        if (queued.incrementAndGet() >= config.settleBatch() || config.settleLinger().isZero()) {
            flush();
        } else if (timerSet.compareAndSet(false, true)) {
            vertx.setTimer(Math.max(1, config.settleLinger().toMillis()), id -> {
                timerSet.set(false);
                flush();
            });
        }
    }

    /** Sends what is queued, in calls of at most {@code settle-batch} slots. */
    void flush() {
        while (true) {
            List<String> args = new ArrayList<>();
            args.add(config.prefix());
            args.add("");
            int n = 0;
            String[] item;
            while (n < config.settleBatch() && (item = queue.poll()) != null) {
                queued.decrementAndGet();
                args.addAll(List.of(item));
                n++;
            }
            if (n == 0) {
                return;
            }
            args.set(1, Integer.toString(n));
            int count = n;
            SETTLE.run(redis, args.toArray(String[]::new))
                    .ifNoItem().after(config.redisTimeout()).fail()
                    .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(5)
                    .subscribe().with(ok -> {
                    }, failure -> {
                        failures.increment(count);
                        LOG.warnf("%d quota settlements did not reach Redis (their reservations expire): %s", count,
                                failure.toString());
                    });
        }
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
