package io.aigateway.usage.quota.redis;

import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.quota.QuotaKeys.Metric;
import io.aigateway.contracts.quota.QuotaKeys.Window;
import io.aigateway.contracts.quota.QuotaLimits;
import io.aigateway.usage.config.QuotaConfig;
import io.aigateway.usage.quota.repository.CounterSums;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The quota keys usage-service writes in Redis (layout: {@link QuotaKeys}). Every write that must not be seen half
 * done (a limits hash replaced, a subject's counters corrected) is one Lua script, so reserve.lua and settle.lua,
 * which run atomically too, never see it in between. Every call is bounded by {@code aigw.quota.redis-timeout}.
 */
@ApplicationScoped
public class QuotaRedis {

    /** Replaces a hash: DEL then HSET, so limits removed since the last write vanish. */
    private static final String REPLACE_HASH = """
            redis.call('DEL', KEYS[1])
            if #ARGV > 0 then redis.call('HSET', KEYS[1], unpack(ARGV)) end
            return 1""";

    /**
     * Writes the used fields of a subject's window counters. ARGV[1] 'set' (the value is PostgreSQL's) or 'max'
     * (only raised: PostgreSQL lags Kafka, and settle.lua may already have counted what it has not stored yet);
     * ARGV[1 + i] the expiry of KEYS[i] (epoch ms); then req, tok, usd per key. A counter is never created only to
     * hold zeros.
     */
    private static final String WRITE_COUNTERS = """
            local max = ARGV[1] == 'max'
            for i = 1, #KEYS do
              local base = 1 + #KEYS + (i - 1) * 3
              local exists = redis.call('EXISTS', KEYS[i]) == 1
              local changed = false
              for j, f in ipairs({'req', 'tok', 'usd'}) do
                local v = tonumber(ARGV[base + j])
                if max then
                  local cur = tonumber(redis.call('HGET', KEYS[i], f)) or 0
                  if v > cur then redis.call('HSET', KEYS[i], f, v); changed = true end
                elseif v ~= 0 or exists then
                  redis.call('HSET', KEYS[i], f, v); changed = true
                end
              end
              if changed then redis.call('PEXPIREAT', KEYS[i], ARGV[1 + i]) end
            end
            return 1""";

    /** Sets the used fields of KEYS to 0 (reserved ones untouched); ARGV[i] the expiry of KEYS[i]. */
    private static final String RESET_USED = """
            for i = 1, #KEYS do
              redis.call('HSET', KEYS[i], 'req', 0, 'tok', 0, 'usd', 0)
              redis.call('PEXPIREAT', KEYS[i], ARGV[i])
            end
            return 1""";

    private static final String UNLOCK = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";

    /** A counter outlives its window by an hour, as reserve.lua sets it. */
    private static final long COUNTER_GRACE_MS = 3_600_000L;

    private final ReactiveRedisDataSource redis;
    private final String prefix;
    private final Duration timeout;
    private final Duration lockTtl;

    public QuotaRedis(ReactiveRedisDataSource redis, QuotaConfig config) {
        this.redis = redis;
        this.prefix = config.prefix();
        this.timeout = config.redisTimeout();
        this.lockTtl = config.lockTtl();
    }

    public String prefix() {
        return prefix;
    }

    /** The hash fields of limits: {@code <window>:<metric>} (money in nano-USD) and {@code tier} when known. */
    public static Map<String, String> limitFields(QuotaLimits limits, String tier) {
        Map<String, String> fields = new HashMap<>();
        for (Window w : Window.values()) {
            for (Metric m : Metric.values()) {
                Number v = limits.get(w, m);
                if (v != null) {
                    fields.put(QuotaKeys.field(w, m),
                            v instanceof BigDecimal usd ? Long.toString(QuotaLimits.nanoUsd(usd)) : v.toString());
                }
            }
        }
        if (tier != null) {
            fields.put("tier", tier);
        }
        return fields;
    }

    /** Replaces the limits hash {@code key} atomically. */
    public Uni<Void> writeLimits(String key, QuotaLimits limits, String tier) {
        List<String> args = new ArrayList<>();
        limitFields(limits, tier).forEach((f, v) -> {
            args.add(f);
            args.add(v);
        });
        return eval(REPLACE_HASH, List.of(key), args);
    }

    public Uni<Void> delete(String key) {
        return bounded(redis.key().del(key)).replaceWithVoid();
    }

    public Uni<Map<String, String>> hash(String key) {
        return bounded(redis.hash(String.class).hgetall(key));
    }

    /** Writes a subject's used counters of the windows holding {@code now}: set, or raised to at least the sums. */
    public Uni<Void> writeCounters(String subject, Instant now, CounterSums.Windows used, boolean onlyRaise) {
        List<String> keys = new ArrayList<>(3);
        List<String> args = new ArrayList<>(13);
        args.add(onlyRaise ? "max" : "set");
        for (Window w : Window.values()) {
            keys.add(QuotaKeys.counter(prefix, subject, w, now));
            args.add(Long.toString(w.end(now).toEpochMilli() + COUNTER_GRACE_MS));
        }
        for (Window w : Window.values()) {
            CounterSums.Used u = used.get(w);
            args.add(Long.toString(u.requests()));
            args.add(Long.toString(u.tokens()));
            args.add(Long.toString(u.nanoUsd()));
        }
        return eval(WRITE_COUNTERS, keys, args);
    }

    /** Sets the used fields of the subject's current windows to 0; what is reserved stays. */
    public Uni<Void> resetUsed(String subject, List<Window> windows, Instant now) {
        List<String> keys = new ArrayList<>(windows.size());
        List<String> args = new ArrayList<>(windows.size());
        for (Window w : windows) {
            keys.add(QuotaKeys.counter(prefix, subject, w, now));
            args.add(Long.toString(w.end(now).toEpochMilli() + COUNTER_GRACE_MS));
        }
        return eval(RESET_USED, keys, args);
    }

    public Uni<Boolean> isReady() {
        return bounded(redis.key().exists(QuotaKeys.ready(prefix)));
    }

    public Uni<Void> setReady() {
        return bounded(redis.value(String.class).set(QuotaKeys.ready(prefix), Instant.now().toString()));
    }

    /** Takes the load lock (SET NX PX); the token to release it with, or null when another replica holds it. */
    public Uni<String> tryLock() {
        String token = UUID.randomUUID().toString();
        return bounded(redis.execute("SET", lockKey(), token, "NX", "PX", Long.toString(lockTtl.toMillis())))
                .map(r -> r != null && "OK".equals(r.toString()) ? token : null);
    }

    public Uni<Void> unlock(String token) {
        return eval(UNLOCK, List.of(lockKey()), List.of(token));
    }

    /** Every key under {@code <prefix><part>}, e.g. {@code l:u:} (SCAN, never KEYS). */
    public Uni<List<String>> scan(String part) {
        return bounded(redis.key().scan(new io.quarkus.redis.datasource.keys.KeyScanArgs()
                .match(escape(prefix + part) + "*").count(1000)).toMulti().collect().asList());
    }

    private String lockKey() {
        return prefix + "lock:load";
    }

    private Uni<Void> eval(String script, List<String> keys, List<String> args) {
        List<String> command = new ArrayList<>(2 + keys.size() + args.size());
        command.add(script);
        command.add(Integer.toString(keys.size()));
        command.addAll(keys);
        command.addAll(args);
        return bounded(redis.execute("EVAL", command.toArray(String[]::new))).replaceWithVoid();
    }

    private <T> Uni<T> bounded(Uni<T> call) {
        return call.ifNoItem().after(timeout).fail();
    }

    /** Glob-escapes a literal for SCAN MATCH. */
    private static String escape(String literal) {
        return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

}
