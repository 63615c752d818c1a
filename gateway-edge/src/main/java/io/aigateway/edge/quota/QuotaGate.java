package io.aigateway.edge.quota;

import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.quota.QuotaSlot;
import io.aigateway.edge.auth.Caller;
import io.aigateway.support.redis.LuaScript;
import io.aigateway.support.redis.RedisOutageGate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Quota enforcement on the hot path: one Redis call (reserve.lua checks every window of the user's and the key's
 * limits and reserves the estimate atomically, so concurrent requests cannot overspend). Far from every limit the
 * call reserves for a lease of up to {@code aigw.quota.lease.max-requests} requests ({@link QuotaLease}), and this
 * edge admits the next requests of that user and key from it without calling Redis. Each request's slot is settled by
 * routing-service with its usage event; the edge releases a slot only when routing never answered, and closes each
 * lease when its time is up. Redis down, slow or not loaded by usage-service: the per-instance {@link LocalLimiter}
 * decides.
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
    private final Vertx vertx;
    /** Open leases by {@code userId NUL keyId}. */
    private final ConcurrentHashMap<String, QuotaLease> leases = new ConcurrentHashMap<>();
    /** Redis calls under way, by the same key: the requests of a burst wait for the first one's lease. */
    private final ConcurrentHashMap<String, CompletableFuture<Boolean>> calls = new ConcurrentHashMap<>();
    /**
     * Callers with no limit at all (reserve.lua status 3), by the same key: until when (System.nanoTime) this edge
     * admits them without a Redis call. Each entry is removed by a timer once it is past.
     */
    private final ConcurrentHashMap<String, Long> unlimited = new ConcurrentHashMap<>();
    private final long unlimitedNanos;
    private final String[] leaseArgs;
    private final Counter leased;

    public QuotaGate(ReactiveRedisDataSource redis, QuotaConfig config, ModelPrices prices, MeterRegistry registry,
                     Vertx vertx) {
        this.vertx = vertx;
        QuotaConfig.Lease l = config.lease();
        this.unlimitedNanos = l.unlimitedFor().toNanos();
        this.leaseArgs = new String[] {Integer.toString(l.maxRequests()), Integer.toString(l.headroomFactor()),
                Long.toString(l.minMinuteLeft().toMillis())};
        for (QuotaDecision.Kind k : QuotaDecision.Kind.values()) {
            decisions.put(k, Counter.builder("aigw_quota_decisions_total")
                    .description("Quota decisions at the edge: reserved (in Redis, or from a lease of this edge), "
                            + "unlimited (no limit applies), local (Redis down or not loaded: the per-instance limit "
                            + "admitted it), refused (429)")
                    .tag("decision", k.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
        }
        for (String w : new String[] {"minute", "day", "month"}) {
            for (String m : new String[] {"requests", "tokens", "spendUsd"}) {
                rejections.put(w + '|' + m, rejection(registry, w, m));
            }
        }
        this.leased = Counter.builder("aigw_quota_lease_requests_total")
                .description("Requests this edge admitted from a quota lease, without a Redis call (also counted as "
                        + "reserved decisions)")
                .register(registry);
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
        String user = nz(caller.userId()), key = nz(caller.keyId());
        return decide(caller, e, user, key, user + '\u0000' + key, config.lease().maxRequests() >= 2);
    }

    /**
     * From this edge's lease for the caller if it has one with room, else from Redis. While a Redis call of the same
     * caller is under way, a request waits for it, and again for the next one as long as each brings a lease: a burst
     * takes its slots lease by lease (one round trip serves many) instead of making a lease per request, each holding
     * budget the others would find taken. Once a call brings no lease (near a limit, refused, no limits), the waiting
     * requests ask Redis each on their own, at once.
     */
    private Uni<QuotaDecision> decide(Caller caller, QuotaEstimator.Estimate e, String user, String key,
                                      String leaseKey, boolean mayWait) {
        Long unlimitedUntil = unlimited.get(leaseKey);
        if (unlimitedUntil != null && System.nanoTime() - unlimitedUntil < 0) {
            return Uni.createFrom().item(QuotaDecision.OFF);
        }
        QuotaLease lease = leases.get(leaseKey);
        if (lease != null) {
            QuotaDecision d = lease.take(e.tokens(), e.nanoUsd(), System.nanoTime());
            if (lease.givenOut()) {
                close(leaseKey, lease);
            }
            if (d != null) {
                leased.increment();
                return Uni.createFrom().item(d);
            }
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> pending = mayWait ? calls.putIfAbsent(leaseKey, mine) : null;
        if (pending != null) {
            return Uni.createFrom().completionStage(pending).onItemOrFailure().transformToUni((leased, t) ->
                    decide(caller, e, user, key, leaseKey, Boolean.TRUE.equals(leased)));
        }
        boolean registered = mayWait;
        boolean[] granted = {false};
        String id = UUID.randomUUID().toString();
        String slot1 = new QuotaSlot(id, 1, e.tokens(), e.nanoUsd()).header();
        return RESERVE.run(redis, config.prefix(), user, key, id, Long.toString(e.tokens()), Long.toString(e.nanoUsd()),
                        ttlMs, leaseArgs[0], leaseArgs[1], leaseArgs[2])
                .ifNoItem().after(config.redisTimeout()).fail()
                .map(r -> {
                    gate.success();
                    QuotaDecision d = decision(r, slot1, caller.userId());
                    int status = r.get(0).toInteger();
                    if (status == 4) {
                        lease(leaseKey, id, r, e, d);
                        granted[0] = true;
                    } else if (status == 3 && unlimitedNanos > 0) {
                        rememberUnlimited(leaseKey);
                        granted[0] = true; // the waiting requests find the entry
                    }
                    return d;
                })
                .onFailure().recoverWithItem(t -> {
                    gate.failure(t);
                    LOG.debugf("quota reservation failed, local limit applies: %s", t.toString());
                    // a call that timed out may still have reserved: routing settles (or finds nothing under) slot 1;
                    // had it granted a lease, its other slots are held until the reservation expires
                    return local.decide(caller.userId()).withReservation(slot1);
                })
                .eventually(() -> {
                    if (registered) {
                        calls.remove(leaseKey, mine);
                        mine.complete(granted[0]);
                    }
                });
    }

    /** No limit applies to this caller: admit its requests without Redis for {@code aigw.quota.lease.unlimited-for}. */
    private void rememberUnlimited(String leaseKey) {
        Long until = System.nanoTime() + unlimitedNanos;
        if (unlimited.put(leaseKey, until) == null) {
            vertx.setTimer(Math.max(1, unlimitedNanos / 1_000_000), t -> forget(leaseKey));
        }
    }

    /** Removes the entry once it is past; one renewed meanwhile is looked at again (and timed anew while it lasts). */
    private void forget(String leaseKey) {
        Long until = unlimited.get(leaseKey);
        if (until == null) {
            return;
        }
        long left = until - System.nanoTime();
        if (left <= 0) {
            if (!unlimited.remove(leaseKey, until)) {
                forget(leaseKey); // remembered again meanwhile (no timer of its own): look at the new entry
            }
        } else {
            vertx.setTimer(Math.max(1, left / 1_000_000), t -> forget(leaseKey));
        }
    }

    /** Keeps the lease reserve.lua granted (status 4) open for its time, then closes it. */
    private void lease(String leaseKey, String id, Response r, QuotaEstimator.Estimate e, QuotaDecision first) {
        int slots = r.get(10).toInteger();
        long usableMs = Math.min(config.lease().lifetime().toMillis(), r.get(11).toLong());
        QuotaLease lease = new QuotaLease(id, slots, e.tokens(), e.nanoUsd(), System.nanoTime(), usableMs * 1_000_000L,
                first);
        leases.put(leaseKey, lease);
        vertx.setTimer(Math.max(1, usableMs), t -> close(leaseKey, lease));
    }

    /** Closes a lease: no more slots from it; what it held beyond them goes back (settle.lua, slot 'c'). */
    private void close(String leaseKey, QuotaLease lease) {
        leases.remove(leaseKey, lease);
        QuotaLease.Unissued u = lease.close();
        if (u == null) {
            return;
        }
        List<String> args = new ArrayList<>(List.of(config.prefix(), "1"));
        args.addAll(List.of(QuotaSlot.closeArgs(lease.id(), u.requests(), u.tokens(), u.nanoUsd())));
        SETTLE.run(redis, args.toArray(String[]::new))
                .ifNoItem().after(config.redisTimeout()).fail()
                .onFailure().retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(1)).atMost(3)
                .subscribe().with(ok -> {
                }, t -> LOG.debugf("quota lease %s not closed (it expires): %s", lease.id(), t.toString()));
    }

    /** Closes the open leases when the edge stops, so what they hold does not wait for expiry. */
    void closeLeases(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent ev) {
        leases.forEach(this::close);
    }

    /** Loads both scripts into Redis at start (best effort): the first requests then find them there. */
    void loadScripts(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent ev) {
        if (!config.enabled()) {
            return;
        }
        RESERVE.load(redis).chain(() -> SETTLE.load(redis)).subscribe().with(ok -> {
        }, t -> LOG.debugf("quota scripts not loaded at start (loaded on first use): %s", t.toString()));
    }

    /** Releases a slot whose request never reached routing-service (nothing is charged). */
    public void release(QuotaDecision d) {
        QuotaSlot slot = d == null ? null : QuotaSlot.parse(d.reservation());
        if (slot == null) {
            return;
        }
        List<String> args = new ArrayList<>(List.of(config.prefix(), "1"));
        args.addAll(List.of(slot.settleArgs(0, 0, 0)));
        SETTLE.run(redis, args.toArray(String[]::new))
                .ifNoItem().after(config.redisTimeout()).fail()
                .subscribe().with(ok -> {
                }, t -> LOG.debugf("quota release failed (the reservation expires): %s", t.toString()));
    }

    private QuotaDecision decision(Response r, String slot1, String userId) {
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
        return new QuotaDecision(QuotaDecision.Kind.RESERVED, slot1, null, rl, rr, rs, tl, tr, ts);
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
