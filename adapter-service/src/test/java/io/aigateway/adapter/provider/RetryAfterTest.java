package io.aigateway.adapter.provider;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void retryAfterMsWins() {
        assertEquals(1500L, RetryAfter.parse("1500", "20", NOW));
        assertEquals(251L, RetryAfter.parse("250.4", null, NOW));
    }

    @Test
    void secondsAndFractions() {
        assertEquals(20_000L, RetryAfter.parse(null, "20", NOW));
        assertEquals(1_500L, RetryAfter.parse(null, " 1.5 ", NOW));
        assertEquals(0L, RetryAfter.parse(null, "0", NOW));
    }

    @Test
    void httpDate() {
        assertEquals(30_000L, RetryAfter.parse(null, "Thu, 01 Jan 2026 00:00:30 GMT", NOW));
        assertEquals(0L, RetryAfter.parse(null, "Wed, 31 Dec 2025 23:59:00 GMT", NOW), "past dates mean now");
    }

    @Test
    void invalidMsFallsBackToRetryAfter() {
        assertEquals(2_000L, RetryAfter.parse("soon", "2", NOW));
        assertEquals(2_000L, RetryAfter.parse("-5", "2", NOW));
    }

    @Test
    void garbageIsNull() {
        assertNull(RetryAfter.parse(null, null, NOW));
        assertNull(RetryAfter.parse("", "tomorrow", NOW));
        assertNull(RetryAfter.parse(null, "-1", NOW));
    }

    @Test
    void capped() {
        assertEquals(RetryAfter.MAX_MS, RetryAfter.parse(null, "999999", NOW));
    }
}
