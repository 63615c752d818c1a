package io.aigateway.routing.chat;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {

    final AtomicReference<Double> random = new AtomicReference<>(0.999999);
    final Backoff backoff = new Backoff(1000, 8000, 10_000, random::get);

    @Test
    void ceilingDoublesPerRetryUpToTheCap() {
        assertEquals(999, backoff.delayMs(0, null));
        assertEquals(1999, backoff.delayMs(1, null));
        assertEquals(3999, backoff.delayMs(2, null));
        assertEquals(7999, backoff.delayMs(3, null));
        assertEquals(7999, backoff.delayMs(4, null));
        assertEquals(7999, backoff.delayMs(62, null));
    }

    @Test
    void fullJitterScalesTheWholeRange() {
        random.set(0.0);
        assertEquals(0, backoff.delayMs(2, null));
        random.set(0.5);
        assertEquals(500, backoff.delayMs(0, null));
        assertEquals(2000, backoff.delayMs(2, null));
        random.set(0.25);
        assertEquals(2000, backoff.delayMs(5, null));
    }

    @Test
    void retryAfterIsAFloorUpToItsCapAndBeyondItNoRetry() {
        random.set(0.1);
        assertEquals(3000, backoff.delayMs(0, 3000L));
        random.set(0.9);
        assertEquals(3600, backoff.delayMs(2, 1000L));
        assertEquals(10_000, backoff.delayMs(0, 10_000L));
        assertEquals(Backoff.NO_RETRY, backoff.delayMs(0, 10_001L));
    }

    @Test
    void defaultsMatchThePlan() {
        // 2 retries, 1000 ms base: the first sleep is below 1 s, the second below 2 s
        Backoff b = new Backoff(1000, 8000, 10_000, () -> 0.75);
        assertEquals(750, b.delayMs(0, null));
        assertEquals(1500, b.delayMs(1, null));
    }
}
