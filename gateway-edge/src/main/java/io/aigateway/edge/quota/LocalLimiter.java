package io.aigateway.edge.quota;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The conservative limit of one edge instance while Redis is down or not loaded yet: at most
 * {@code requestsPerMinute} requests per user per calendar minute, counted here only. What it admits is never replayed
 * into Redis when Redis comes back (the usage events reach PostgreSQL, and usage-service's rebuild counts them once).
 * Hand-written: a fixed-window counter per user is a dozen lines, and entries of past minutes are dropped as the map
 * is read.
 */
final class LocalLimiter {

    private final int requestsPerMinute;
    private final LongSupplier clockMs;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private volatile long minuteSwept;

    private static final class Window {
        final long minute;
        final AtomicLong count = new AtomicLong();

        Window(long minute) {
            this.minute = minute;
        }
    }

    LocalLimiter(int requestsPerMinute, LongSupplier clockMs) {
        this.requestsPerMinute = requestsPerMinute;
        this.clockMs = clockMs;
    }

    QuotaDecision decide(String userId) {
        long now = clockMs.getAsLong();
        long minute = now / 60_000;
        if (minute != minuteSwept) {
            minuteSwept = minute;
            windows.values().removeIf(w -> w.minute < minute);
        }
        Window w = windows.compute(userId == null ? "" : userId,
                (k, old) -> old == null || old.minute != minute ? new Window(minute) : old);
        long n = w.count.incrementAndGet();
        long resetMs = (minute + 1) * 60_000 - now;
        if (n > requestsPerMinute) {
            return new QuotaDecision(QuotaDecision.Kind.REFUSED, null,
                    new QuotaDecision.Refusal(false, resetMs, "requests per minute, this gateway instance's limit"),
                    requestsPerMinute, 0, resetMs, -1, -1, -1);
        }
        return new QuotaDecision(QuotaDecision.Kind.LOCAL, null, null, requestsPerMinute, requestsPerMinute - n,
                resetMs, -1, -1, -1);
    }
}
