package io.aigateway.edge.catalog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Anonymous callers of the public model catalog: at most {@code requestsPerMinute} per client address and calendar
 * minute, counted in this instance only (a fixed-window counter, as {@code quota.LocalLimiter}). Bounded: entries of
 * past minutes are dropped when the minute turns; a new address beyond {@code maxAddresses} in one minute is refused.
 */
final class AnonymousLimiter {

    /** {@code retryAfterSeconds} is 0 when allowed. */
    record Decision(boolean allowed, long retryAfterSeconds) {
    }

    private static final class Window {
        final long minute;
        final AtomicLong count = new AtomicLong();

        Window(long minute) {
            this.minute = minute;
        }
    }

    private final int requestsPerMinute;
    private final int maxAddresses;
    private final LongSupplier clockMs;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private volatile long minuteSwept;

    AnonymousLimiter(int requestsPerMinute, int maxAddresses, LongSupplier clockMs) {
        this.requestsPerMinute = requestsPerMinute;
        this.maxAddresses = maxAddresses;
        this.clockMs = clockMs;
    }

    Decision acquire(String address) {
        if (requestsPerMinute <= 0) {
            return new Decision(true, 0);
        }
        long now = clockMs.getAsLong();
        long minute = now / 60_000;
        if (minute != minuteSwept) {
            minuteSwept = minute;
            windows.values().removeIf(w -> w.minute != minute);
        }
        long retryAfter = Math.max(1, (60_000 - now % 60_000 + 999) / 1000);
        Window w = windows.get(address);
        if (w == null || w.minute != minute) {
            if (w == null && windows.size() >= maxAddresses) {
                return new Decision(false, retryAfter);
            }
            w = windows.compute(address, (k, old) -> old != null && old.minute == minute ? old : new Window(minute));
        }
        return w.count.incrementAndGet() <= requestsPerMinute ? new Decision(true, 0) : new Decision(false, retryAfter);
    }
}
