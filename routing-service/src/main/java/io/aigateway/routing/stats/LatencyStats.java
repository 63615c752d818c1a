package io.aigateway.routing.stats;

import io.aigateway.routing.route.LatencyView;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent-weighted (EWMA) latency per {@code provider/model}, shared by all routing-service instances
 * through one Redis hash. The request path only touches memory: {@link #record} updates the local EWMA
 * and a pending batch; {@link #sync} (every ~1 s, off the request path) folds each pending batch into the
 * shared value with one Lua script and reloads the shared snapshot. Reads use the shared snapshot, else the
 * local value; Redis down ⇒ local statistics only, never a failed request.
 */
public final class LatencyStats implements LatencyView {

    private static final Logger LOG = Logger.getLogger(LatencyStats.class);

    /** Folds batches: ARGV = alpha, then (field, batch EWMA, sample count)… */
    static final String FOLD = """
            local a = tonumber(ARGV[1])
            for i = 2, #ARGV, 3 do
              local x = tonumber(ARGV[i + 1])
              local w = 1 - (1 - a) ^ tonumber(ARGV[i + 2])
              local old = redis.call('HGET', KEYS[1], ARGV[i])
              local v = x
              if old then v = tonumber(old) * (1 - w) + x * w end
              redis.call('HSET', KEYS[1], ARGV[i], tostring(v))
            end
            redis.call('EXPIRE', KEYS[1], 86400)
            return 1""";

    private static final class Stat {
        double local = -1;
        double pending = -1;
        int pendingCount;
    }

    private final ReactiveRedisDataSource redis;
    private final String key;
    private final double alpha;
    private final Duration timeout;
    private final ConcurrentHashMap<String, Stat> stats = new ConcurrentHashMap<>();
    private volatile Map<String, Double> shared = Map.of();

    public LatencyStats(ReactiveRedisDataSource redis, String key, double alpha, Duration timeout) {
        this.redis = redis;
        this.key = key;
        this.alpha = alpha;
        this.timeout = timeout;
    }

    /** One observed latency (cheap: memory only). */
    public void record(String candidateKey, long latencyMs) {
        Stat s = stats.computeIfAbsent(candidateKey, k -> new Stat());
        synchronized (s) {
            s.local = s.local < 0 ? latencyMs : s.local * (1 - alpha) + latencyMs * alpha;
            s.pending = s.pending < 0 ? latencyMs : s.pending * (1 - alpha) + latencyMs * alpha;
            s.pendingCount++;
        }
    }

    @Override
    public double latencyMs(String candidateKey) {
        Double v = shared.get(candidateKey);
        if (v != null) {
            return v;
        }
        Stat s = stats.get(candidateKey);
        return s == null ? -1 : s.local;
    }

    /** Pushes pending batches, then reloads the shared snapshot. Never fails. */
    public Uni<Void> sync() {
        return flush().chain(this::refresh);
    }

    Uni<Void> flush() {
        List<String> args = new ArrayList<>();
        args.add(FOLD);
        args.add("1");
        args.add(key);
        args.add(Double.toString(alpha));
        List<Map.Entry<String, Stat>> taken = new ArrayList<>();
        double[] values = new double[stats.size() + 8];
        int[] counts = new int[values.length];
        for (Map.Entry<String, Stat> e : stats.entrySet()) {
            Stat s = e.getValue();
            synchronized (s) {
                if (s.pendingCount == 0 || taken.size() >= values.length) {
                    continue;
                }
                values[taken.size()] = s.pending;
                counts[taken.size()] = s.pendingCount;
                s.pending = -1;
                s.pendingCount = 0;
            }
            args.add(e.getKey());
            args.add(Double.toString(values[taken.size()]));
            args.add(Integer.toString(counts[taken.size()]));
            taken.add(e);
        }
        if (taken.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return redis.execute("EVAL", args.toArray(String[]::new))
                .ifNoItem().after(timeout).fail()
                .replaceWithVoid()
                .onFailure().recoverWithUni(t -> {
                    LOG.debugf("latency stats not written to Redis (%s); kept locally", t.toString());
                    // put the batch back so it is not lost when Redis returns
                    for (int i = 0; i < taken.size(); i++) {
                        Stat s = taken.get(i).getValue();
                        synchronized (s) {
                            s.pending = s.pending < 0 ? values[i] : s.pending * (1 - alpha) + values[i] * alpha;
                            s.pendingCount += counts[i];
                        }
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    Uni<Void> refresh() {
        return redis.hash(String.class).hgetall(key)
                .ifNoItem().after(timeout).fail()
                .onItem().invoke(m -> {
                    Map<String, Double> next = new ConcurrentHashMap<>();
                    m.forEach((f, v) -> {
                        try {
                            next.put(f, Double.parseDouble(v));
                        } catch (NumberFormatException e) {
                            // ignore a foreign value
                        }
                    });
                    shared = next;
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(t -> {
                    LOG.debugf("latency stats not read from Redis (%s); using local ones", t.toString());
                    shared = Map.of();
                    return Uni.createFrom().voidItem();
                });
    }
}
