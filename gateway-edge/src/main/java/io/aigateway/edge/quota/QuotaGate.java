package io.aigateway.edge.quota;

import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.edge.auth.Caller;
import io.aigateway.support.redis.LuaScript;
import io.aigateway.support.redis.RedisOutageGate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * Quota enforcement on the hot path: one Redis call per request (reserve.lua checks every window of the user's and
 * the key's limits and reserves the estimate atomically, so concurrent requests cannot overspend). The reservation is
 * settled by routing-service with the request's usage event; the edge releases it only when routing never answered.
 * Redis down, slow or not loaded by usage-service: the per-instance {@link LocalLimiter} decides.
 */
@ApplicationScoped
public class QuotaGate {

    private static final Logger LOG = Logger.getLogger(QuotaGate.class);
    private static final LuaScript RESERVE = new LuaScript(QuotaKeys.reserveScript());
    private static final LuaScript SETTLE = new LuaScript(QuotaKeys.settleScript());

    private final ReactiveRedisDataSource redis;
    private final QuotaConfig config;
    private final ModelPrices prices;
    private final QuotaEstimator estimator;
    private final LocalLimiter local;
    private final RedisOutageGate gate;
    private final String ttlMs;
    private final Map<QuotaDecision.Kind, Counter> decisions = new EnumMap<>(QuotaDecision.Kind.class);
    /** {@code window|metric} → counter, all nine registered at start. */
    private final Map<String, Counter> rejections = new java.util.HashMap<>();
    private final MeterRegistry registry;

    public QuotaGate(ReactiveRedisDataSource redis, QuotaConfig config, ModelPrices prices, MeterRegistry registry) {
        for (QuotaDecision.Kind k : QuotaDecision.Kind.values()) {
            decisions.put(k, Counter.builder("aigw_quota_decisions_total")
                    .description("Quota decisions at the edge: reserved, unlimited (no limit applies), local (Redis "
                            + "down or not loaded: the per-instance limit admitted it), refused (429)")
                    .tag("decision", k.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        for (String w : new String[] {"minute", "day", "month"}) {
            for (String m : new String[] {"requests", "tokens", "spendUsd"}) {
                rejections.put(w + '|' + m, rejection(registry, w, m));
            }
        }
        this.registry = registry;
        this.redis = redis;
        this.config = config;
        this.prices = prices;
        this.estimator = new QuotaEstimator(config.charsPerToken(), config.defaultCompletionTokens());
        this.local = new LocalLimiter(config.local().requestsPerMinute(), System::currentTimeMillis);
        this.gate = new RedisOutageGate("quota", redis, 3, config.redisBackoff(), config.redisTimeout(),
                Duration.ofSeconds(1), () -> {
                });
        io.aigateway.edge.metrics.EdgeMetrics.redisGate(registry, gate);
        this.ttlMs = Long.toString(config.reservationTtl().toMillis());
    }

    /** Never fails: a Redis problem becomes the local limit's decision. */
    public Uni<QuotaDecision> reserve(Caller caller, ChatCompletionRequest chat) {
        return decide(caller, chat).invoke(d -> {
            decisions.get(d.kind()).increment();
            if (d.refused()) {
                rejected(d.refusal());
            }
        });
    }

    private static Counter rejection(MeterRegistry registry, String window, String metric) {
        return Counter.builder("aigw.quota.rejections")
                .description("Requests refused (429) by the quota gate, by the refusing limit's window and metric")
                .tag("window", window).tag("metric", metric).register(registry);
    }

    private void rejected(QuotaDecision.Refusal r) {
        Counter c = rejections.get(r.window() + '|' + r.metric());
        if (c == null) { // not one of the nine: never an unbounded value
            c = rejection(registry, "other", "other");
        }
        c.increment();
    }

    private Uni<QuotaDecision> decide(Caller caller, ChatCompletionRequest chat) {
        if (!config.enabled()) {
            return Uni.createFrom().item(QuotaDecision.OFF);
        }
        if (!gate.available()) {
            return Uni.createFrom().item(local.decide(caller.userId()));
        }
        QuotaEstimator.Estimate e = estimator.estimate(chat, prices.of(chat.model()));
        String id = UUID.randomUUID().toString();
        return RESERVE.run(redis, config.prefix(), nz(caller.userId()), nz(caller.keyId()), id,
                        Long.toString(e.tokens()), Long.toString(e.nanoUsd()), ttlMs)
                .ifNoItem().after(config.redisTimeout()).fail()
                .map(r -> {
                    gate.success();
                    return decision(r, id, caller.userId());
                })
                .onFailure().recoverWithItem(t -> {
                    gate.failure(t);
                    LOG.debugf("quota reservation failed, local limit applies: %s", t.toString());
                    // a call that timed out may still have reserved: routing settles (or finds nothing under) the id
                    return local.decide(caller.userId()).withReservation(id);
                });
    }

    /** Loads both scripts into Redis at start (best effort): the first requests then find them there. */
    void loadScripts(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent ev) {
        if (!config.enabled()) {
            return;
        }
        RESERVE.load(redis).chain(() -> SETTLE.load(redis)).subscribe().with(ok -> {
        }, t -> LOG.debugf("quota scripts not loaded at start (loaded on first use): %s", t.toString()));
    }

    /** Releases a reservation whose request never reached routing-service (nothing is charged). */
    public void release(QuotaDecision d) {
        if (d == null || d.reservation() == null) {
            return;
        }
        SETTLE.run(redis, config.prefix(), d.reservation(), "0", "0", "0")
                .ifNoItem().after(config.redisTimeout()).fail()
                .subscribe().with(ok -> {
                }, t -> LOG.debugf("quota release failed (the reservation expires): %s", t.toString()));
    }

    private QuotaDecision decision(Response r, String id, String userId) {
        int status = r.get(0).toInteger();
        if (status == 2) {
            return local.decide(userId);
        }
        if (status == 3) {
            return QuotaDecision.OFF;
        }
        long rl = r.get(3).toLong(), rr = r.get(4).toLong(), rs = r.get(5).toLong();
        long tl = r.get(6).toLong(), tr = r.get(7).toLong(), ts = r.get(8).toLong();
        if (status == 1) {
            boolean budget = r.get(1).toInteger() == 2;
            String code = r.size() > 10 ? r.get(10).toString() : null;
            String what = code != null ? describe(code) : "a limit";
            return new QuotaDecision(QuotaDecision.Kind.REFUSED, null,
                    new QuotaDecision.Refusal(budget, r.get(2).toLong(), what, window(code), metric(code)),
                    rl, rr, rs, tl, tr, ts);
        }
        return new QuotaDecision(QuotaDecision.Kind.RESERVED, id, null, rl, rr, rs, tl, tr, ts);
    }

    /** {@code user d:req} → {@code requests per day of the user}. */
    static String describe(String code) {
        String[] parts = code.split("[ :]");
        if (parts.length != 3) {
            return "a limit";
        }
        String metric = switch (parts[2]) {
            case "req" -> "requests";
            case "tok" -> "tokens";
            default -> "spend";
        };
        String window = switch (parts[1]) {
            case "m" -> "minute";
            case "d" -> "day";
            default -> "month";
        };
        return metric + " per " + window + " of the " + ("key".equals(parts[0]) ? "API key" : "user");
    }

    /** The window of a refusal code ({@code user d:req} → {@code day}); {@code other} when unreadable. */
    static String window(String code) {
        String[] parts = code == null ? new String[0] : code.split("[ :]");
        if (parts.length != 3) {
            return "other";
        }
        return switch (parts[1]) {
            case "m" -> "minute";
            case "d" -> "day";
            case "M" -> "month";
            default -> "other";
        };
    }

    /** The metric of a refusal code ({@code user d:req} → {@code requests}, {@code usd} → {@code spendUsd}). */
    static String metric(String code) {
        String[] parts = code == null ? new String[0] : code.split("[ :]");
        if (parts.length != 3) {
            return "other";
        }
        return switch (parts[2]) {
            case "req" -> "requests";
            case "tok" -> "tokens";
            case "usd" -> "spendUsd";
            default -> "other";
        };
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
