package io.aigateway.routing.chat;

import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: before retry {@code n} (0-based) sleep a uniform random time in
 * [0, min(cap, base·2ⁿ)). A provider's {@code Retry-After} is honoured (never sleep less than it) up to
 * {@code maxRetryAfterMs}; a longer one means "do not retry this provider" ({@link #NO_RETRY}).
 * The random source is injected so tests are deterministic.
 */
public final class Backoff {

    public static final long NO_RETRY = -1;

    private final long baseMs;
    private final long capMs;
    private final long maxRetryAfterMs;
    private final DoubleSupplier random;

    public Backoff(long baseMs, long capMs, long maxRetryAfterMs, DoubleSupplier random) {
        this.baseMs = Math.max(0, baseMs);
        this.capMs = Math.max(0, capMs);
        this.maxRetryAfterMs = maxRetryAfterMs;
        this.random = random;
    }

    /** @return the sleep before retry {@code retry} (0 = first retry) in ms, or {@link #NO_RETRY} */
    public long delayMs(int retry, Long retryAfterMs) {
        if (retryAfterMs != null && retryAfterMs > maxRetryAfterMs) {
            return NO_RETRY;
        }
        long ceiling = baseMs << Math.min(retry, 30);
        if (ceiling < 0 || ceiling > capMs) {
            ceiling = capMs;
        }
        long jitter = (long) (random.getAsDouble() * ceiling);
        return retryAfterMs == null ? jitter : Math.max(jitter, retryAfterMs);
    }
}
