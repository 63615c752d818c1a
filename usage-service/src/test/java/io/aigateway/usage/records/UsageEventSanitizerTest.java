package io.aigateway.usage.records;

import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.records.service.UsageEventSanitizer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class UsageEventSanitizerTest {

    private final UsageEventSanitizer sanitizer = new UsageEventSanitizer(256, 1024);

    private static UsageEvent event(String requestId, String userId, String context, String requestedModel,
                                    String provider, String model, List<UsageEvent.Attempt> attempts) {
        return new UsageEvent(UUID.randomUUID(), requestId, Instant.parse("2025-01-01T00:00:00Z"), userId, "key-1",
                context, requestedModel, provider, model, "cost", 1, 2, 3, false, new BigDecimal("0.001"), null, 10,
                null, false, false, UsageEvent.Outcome.SUCCESS, null, attempts);
    }

    @Test
    void aCleanEventIsReturnedAsIs() {
        UsageEvent e = event("r1", "u1", "writing", "chat-default", "fake", "fake-chat 🙂 ä\n",
                List.of(new UsageEvent.Attempt("fake", "fake-chat", null, null, 5)));
        assertSame(e, sanitizer.sanitize(e));
    }

    @Test
    void nulAndUnpairedSurrogatesBecomeReplacementCharacters() {
        UsageEvent e = event("r\u0000", "u\u0000", "wri\u0000ting", "m\u0000x", "p\uD800", "ok\uDC00",
                List.of(new UsageEvent.Attempt("fake", "fake-chat", null, null, 5),
                        new UsageEvent.Attempt("fa\u0000ke", "a\u0000b\uD83D\uDE00", "TIMEOUT\u0000", 504, 7)));
        UsageEvent s = sanitizer.sanitize(e);
        assertEquals("r\uFFFD", s.requestId());
        assertEquals("u\uFFFD", s.userId());
        assertEquals("wri\uFFFDting", s.context());
        assertEquals("m\uFFFDx", s.requestedModel());
        assertEquals("p\uFFFD", s.provider());
        assertEquals("ok\uFFFD", s.model());
        assertSame(e.attempts().get(0), s.attempts().get(0));
        assertEquals(new UsageEvent.Attempt("fa\uFFFDke", "a\uFFFDb\uD83D\uDE00", "TIMEOUT\uFFFD", 504, 7),
                s.attempts().get(1));
        // everything else unchanged
        assertEquals(e.eventId(), s.eventId());
        assertEquals(e.costUsd(), s.costUsd());
        assertEquals(e.keyId(), s.keyId());
    }

    @Test
    void overLongModelNamesAndTextAreCutWithoutSplittingAPair() {
        String huge = "m".repeat(10_000);
        UsageEvent s = sanitizer.sanitize(event("r", "u", "c", huge, "p", huge,
                List.of(new UsageEvent.Attempt("p", huge, null, null, 1))));
        assertEquals("m".repeat(256), s.requestedModel());
        assertEquals("m".repeat(256), s.model());
        assertEquals("m".repeat(256), s.attempts().get(0).model());
        assertEquals("u".repeat(1024), sanitizer.sanitize(event("r", "u".repeat(2000), "c", "m", "p", "m", List.of())).userId());
        // a surrogate pair across the cut is dropped whole, not halved
        String pairAtCut = "m".repeat(255) + "\uD83D\uDE00";
        assertEquals("m".repeat(255), sanitizer.sanitize(event("r", "u", "c", pairAtCut, "p", "m", List.of())).requestedModel());
    }
}
