package io.aigateway.routing.stats;

import io.aigateway.routing.route.RoundRobinPositions;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Round-robin positions shared through Redis without a round trip per request: each instance reserves a
 * block of positions with one {@code INCRBY} and hands them out locally, reserving the next block in the
 * background when half of the current one is used. Every position is used once across instances, so the
 * spread stays even. While no block is available (start-up, Redis down) a local counter is used.
 */
public final class RedisRoundRobin implements RoundRobinPositions {

    private static final Logger LOG = Logger.getLogger(RedisRoundRobin.class);
    private static final long RETRY_AFTER_FAILURE_NANOS = 1_000_000_000L;

    private static final class Pos {
        long next;
        long end;
        long reserved = -1;
        boolean fetching;
        long local;
        long failedAt;
    }

    private final ReactiveRedisDataSource redis;
    private final String prefix;
    private final int block;
    private final Duration timeout;
    private final ConcurrentHashMap<String, Pos> positions = new ConcurrentHashMap<>();

    public RedisRoundRobin(ReactiveRedisDataSource redis, String prefix, int block, Duration timeout) {
        this.redis = redis;
        this.prefix = prefix;
        this.block = Math.max(1, block);
        this.timeout = timeout;
    }

    @Override
    public long next(String key) {
        Pos p = positions.computeIfAbsent(key, k -> new Pos());
        synchronized (p) {
            if (p.next >= p.end && p.reserved >= 0) {
                p.next = p.reserved;
                p.end = p.reserved + block;
                p.reserved = -1;
            }
            if (p.next < p.end) {
                long v = p.next++;
                if (p.end - p.next <= block / 2) {
                    reserve(key, p);
                }
                return v;
            }
            reserve(key, p);
            return p.local++;
        }
    }

    /** Called with the lock held. */
    private void reserve(String key, Pos p) {
        if (p.fetching || p.reserved >= 0
                || (p.failedAt != 0 && System.nanoTime() - p.failedAt < RETRY_AFTER_FAILURE_NANOS)) {
            return;
        }
        p.fetching = true;
        redis.value(Long.class).incrby(prefix + key, block)
                .ifNoItem().after(timeout).fail()
                .subscribe().with(end -> {
                    synchronized (p) {
                        p.fetching = false;
                        p.failedAt = 0;
                        p.reserved = end - block;
                    }
                }, t -> {
                    synchronized (p) {
                        p.fetching = false;
                        p.failedAt = System.nanoTime();
                    }
                    LOG.debugf("round-robin block not reserved in Redis (%s); local counter used", t.toString());
                });
    }
}
