package io.aigateway.adapter.provider;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestLimiterTest {

    @Test
    void aMinutesRequestsPassThenTheNextWaitsAboutItsShareOfTheMinute() {
        RequestLimiter limiter = new RequestLimiter(3);
        assertTrue(limiter.tryAcquire());
        assertTrue(limiter.tryAcquire());
        assertTrue(limiter.tryAcquire());
        assertFalse(limiter.tryAcquire());
        long retryAfter = limiter.retryAfterMs();
        assertTrue(retryAfter > 0 && retryAfter <= 20_000, "one request every 20 s: " + retryAfter);
    }

    @Test
    void refillsContinuously() {
        RequestLimiter limiter = new RequestLimiter(60_000_000); // 1000 per millisecond
        for (int i = 0; i < 1000; i++) {
            limiter.tryAcquire();
        }
        assertTrue(limiter.retryAfterMs() <= 1);
    }

    @Test
    void zeroIsNoLimit() {
        assertNull(RequestLimiter.ofPerMinute(0));
        assertNull(RequestLimiter.ofPerMinute(-1));
        assertThrows(IllegalArgumentException.class, () -> new RequestLimiter(0));
    }
}
