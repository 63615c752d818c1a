package io.aigateway.routing.cache;

import io.aigateway.support.redis.RedisOutageGate;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cache metrics (Prometheus names): {@code aigw_cache_lookups_total{result=hit|miss|bypass|coalesced}},
 * {@code aigw_cache_stores_total}, {@code aigw_cache_store_skipped_total{reason}}, {@code aigw_cache_redis_errors_total},
 * gauges {@code aigw_cache_entries}, {@code aigw_cache_bytes}, {@code aigw_cache_expirations} (shared, as of the
 * last sync) and {@code aigw_cache_hit_ratio} (this instance); {@code aigw_redis_gate_open{gate="cache"}} (1 while the
 * cache's Redis outage gate has tripped and Redis is skipped, else 0). Also the local counts that the stats sync adds
 * to the shared counters in Redis.
 */
public final class CacheMetrics {

    private final MeterRegistry registry;
    private final Counter hits;
    private final Counter misses;
    private final Counter bypasses;
    private final Counter coalesced;
    private final Counter stores;
    private final Counter errors;
    final AtomicLong hitCount = new AtomicLong();
    final AtomicLong missCount = new AtomicLong();
    final AtomicLong bypassCount = new AtomicLong();
    final AtomicLong coalescedCount = new AtomicLong();
    final AtomicLong storeCount = new AtomicLong();
    final AtomicLong skippedCount = new AtomicLong();
    /** Not yet added to the shared counters. */
    private final AtomicLong pendingHits = new AtomicLong();
    private final AtomicLong pendingMisses = new AtomicLong();
    private final AtomicLong pendingBypasses = new AtomicLong();
    private final AtomicLong pendingCoalesced = new AtomicLong();
    final AtomicLong sharedEntries = new AtomicLong();
    final AtomicLong sharedBytes = new AtomicLong();
    final AtomicLong sharedExpirations = new AtomicLong();

    public CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
        hits = lookups("hit");
        misses = lookups("miss");
        bypasses = lookups("bypass");
        coalesced = lookups("coalesced");
        stores = Counter.builder("aigw.cache.stores").description("Answers stored in the cache").register(registry);
        errors = Counter.builder("aigw.cache.redis.errors").description("Failed or timed-out cache calls to Redis").register(registry);
        Gauge.builder("aigw.cache.entries", sharedEntries, AtomicLong::get)
                .description("Entries in the cache (shared, last sync)").register(registry);
        Gauge.builder("aigw.cache.bytes", sharedBytes, AtomicLong::get)
                .description("Bytes of the stored answers (shared, last sync)").register(registry);
        Gauge.builder("aigw.cache.expirations", sharedExpirations, AtomicLong::get)
                .description("Entries expired by TTL (shared, detected by the sweep)").register(registry);
        Gauge.builder("aigw.cache.hit.ratio", this, CacheMetrics::hitRate)
                .description("Hits / (hits + misses + coalesced) on this instance").register(registry);
    }

    /** {@code aigw_redis_gate_open{gate}}: 1 while {@code gate} has tripped (Redis skipped), 0 while Redis is used. */
    void gate(RedisOutageGate gate) {
        String label = gate.name().replace(' ', '_');
        Gauge stale = registry.find("aigw.redis.gate.open").tag("gate", label).gauge();
        if (stale != null) { // a gate of an earlier instance (an application restarted in the same JVM): this one wins
            registry.remove(stale);
        }
        Gauge.builder("aigw.redis.gate.open", gate, g -> g.isClosed() ? 1 : 0)
                .description("1 while the Redis outage gate has tripped (Redis is skipped), 0 while Redis is used")
                .tag("gate", label).strongReference(true).register(registry);
    }

    private Counter lookups(String result) {
        return Counter.builder("aigw.cache.lookups").description("Cache lookups by result")
                .tag("result", result).register(registry);
    }

    void hit() {
        hits.increment();
        hitCount.incrementAndGet();
        pendingHits.incrementAndGet();
    }

    void miss() {
        misses.increment();
        missCount.incrementAndGet();
        pendingMisses.incrementAndGet();
    }

    void bypass() {
        bypasses.increment();
        bypassCount.incrementAndGet();
        pendingBypasses.incrementAndGet();
    }

    void coalesced() {
        coalesced.increment();
        coalescedCount.incrementAndGet();
        pendingCoalesced.incrementAndGet();
    }

    void stored() {
        stores.increment();
        storeCount.incrementAndGet();
    }

    void skipped(String reason) {
        Counter.builder("aigw.cache.store.skipped").description("Answers not stored, by reason")
                .tag("reason", reason).register(registry).increment();
        skippedCount.incrementAndGet();
    }

    void error() {
        errors.increment();
    }

    double hitRate() {
        long h = hitCount.get();
        long total = h + missCount.get() + coalescedCount.get();
        return total == 0 ? 0 : (double) h / total;
    }

    /** Takes the pending local counts (to add to Redis). */
    Map<String, Long> drainPending() {
        return Map.of("hits", pendingHits.getAndSet(0), "misses", pendingMisses.getAndSet(0),
                "bypasses", pendingBypasses.getAndSet(0), "coalesced", pendingCoalesced.getAndSet(0));
    }

    /** Puts counts back after a failed sync. */
    void restorePending(Map<String, Long> d) {
        pendingHits.addAndGet(d.getOrDefault("hits", 0L));
        pendingMisses.addAndGet(d.getOrDefault("misses", 0L));
        pendingBypasses.addAndGet(d.getOrDefault("bypasses", 0L));
        pendingCoalesced.addAndGet(d.getOrDefault("coalesced", 0L));
    }
}
