package io.aigateway.support.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one "skip Redis while it is down" gate of every service (the routing cache; the edge's key lookups).
 * Hand-written rather than a SmallRye Fault Tolerance breaker because a breaker opens on failures alone, and a
 * saturated Redis times out calls while still up: this gate asks Redis itself before skipping it.
 * Keeps requests from waiting on a Redis that is down: after {@code threshold} consecutive failures one
 * background {@code PING} (bounded by {@code confirmTimeout}) checks whether Redis is down or only slow (a
 * saturated instance times out its own calls): if the PING fails, the gate is closed for the back-off,
 * during which {@link #available()} is false at no cost; if it answers, the failures are forgotten. When
 * the back-off has passed, the next caller (a request or the scheduled stats sync) starts one background
 * {@code PING}: success opens the gate again, failure starts another back-off. Requests never wait for a
 * PING.
 */
public final class RedisOutageGate {

    private static final Logger LOG = Logger.getLogger(RedisOutageGate.class);

    private final String user;
    private final ReactiveRedisDataSource redis;
    private final int threshold;
    private final long backoffNanos;
    private final Duration timeout;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong closedUntil = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final AtomicBoolean confirming = new AtomicBoolean();
    private final Duration confirmTimeout;
    private final AtomicLong errors = new AtomicLong();
    private final Runnable onError;

    public RedisOutageGate(String user, ReactiveRedisDataSource redis, int threshold, Duration backoff, Duration timeout,
                           Duration confirmTimeout, Runnable onError) {
        this.user = user;
        this.redis = redis;
        this.confirmTimeout = confirmTimeout;
        this.threshold = Math.max(1, threshold);
        this.backoffNanos = backoff.toNanos();
        this.timeout = timeout;
        this.onError = onError;
    }

    /** True when Redis may be used now. Never blocks. */
    public boolean available() {
        if (!closed.get()) {
            return true;
        }
        if (System.nanoTime() - closedUntil.get() >= 0) {
            probe();
        }
        return false;
    }

    public void success() {
        consecutiveFailures.set(0);
    }

    public void failure(Throwable t) {
        errors.incrementAndGet();
        onError.run();
        if (consecutiveFailures.incrementAndGet() >= threshold && !closed.get() && confirming.compareAndSet(false, true)) {
            String cause = t.getClass().getSimpleName();
            redis.execute("PING")
                    .ifNoItem().after(confirmTimeout).fail()
                    .subscribe().with(ok -> {
                        consecutiveFailures.set(0);
                        confirming.set(false);
                        LOG.debugf("%s: Redis calls failed (%s) but Redis answers: slow, not down", user, cause);
                    }, e -> {
                        if (closed.compareAndSet(false, true)) {
                            closedUntil.set(System.nanoTime() + backoffNanos);
                            LOG.warnf("%s: Redis failed %d times in a row (%s) and does not answer; skipping it for %d ms",
                                    user, threshold, cause, backoffNanos / 1_000_000);
                        }
                        confirming.set(false);
                    });
        }
    }

    public long errors() {
        return errors.get();
    }

    /**
     * True while the gate has tripped: Redis is being skipped (exported by the services as
     * {@code aigw_redis_gate_open{gate}} = 1, the breaker sense of "open").
     */
    public boolean isClosed() {
        return closed.get();
    }

    /** The name given at construction (log lines; the {@code gate} label of {@code aigw_redis_gate_open}). */
    public String name() {
        return user;
    }

    private void probe() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        redis.execute("PING")
                .ifNoItem().after(timeout).fail()
                .subscribe().with(ok -> {
                    consecutiveFailures.set(0);
                    closed.set(false);
                    probing.set(false);
                    LOG.infof("%s: Redis answers again; using it again", user);
                }, t -> {
                    errors.incrementAndGet();
                    onError.run();
                    closedUntil.set(System.nanoTime() + backoffNanos);
                    probing.set(false);
                });
    }
}
