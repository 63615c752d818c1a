package io.aigateway.adapter.provider;

import java.util.concurrent.TimeUnit;

/**
 * A client-side request limit: a token bucket refilled continuously at {@code perMinute} per minute (capacity: one
 * minute's requests). Used for a provider's {@code rate-limit-per-minute} (file or run-time override) and for the
 * TGI free tier; over the limit a call fails at once as RATE_LIMITED with {@link #retryAfterMs()}, so routing falls
 * back. Thread-safe.
 */
public final class RequestLimiter {

    private final int perMinute;
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last = System.nanoTime();

    public RequestLimiter(int perMinute) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be at least 1");
        }
        this.perMinute = perMinute;
        this.capacity = perMinute;
        this.tokens = perMinute;
        this.perNano = perMinute / (double) TimeUnit.MINUTES.toNanos(1);
    }

    /** A limiter, or null for {@code perMinute <= 0} (no limit). */
    public static RequestLimiter ofPerMinute(int perMinute) {
        return perMinute > 0 ? new RequestLimiter(perMinute) : null;
    }

    public int perMinute() {
        return perMinute;
    }

    /** Takes one request's token; false when over the limit. */
    public synchronized boolean tryAcquire() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** How long until the next request would pass (at least 1 ms). */
    public synchronized long retryAfterMs() {
        refill();
        return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1_000_000));
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
    }
}
