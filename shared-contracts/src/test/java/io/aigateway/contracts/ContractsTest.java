package io.aigateway.contracts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.catalog.Cost;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ErrorEnvelope;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.internal.KeyHashing;
import io.aigateway.contracts.usage.UsageEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

class ContractsTest {

    private final ObjectMapper mapper = Json.newMapper();

    @Test
    void costIsExactDecimal() {
        assertEquals(new BigDecimal("0.0042000000"),
                Cost.of(1000, 1000, new BigDecimal("0.0014"), new BigDecimal("0.0028")));
        assertEquals(new BigDecimal("0.0000182000"),
                Cost.of(7, 3, new BigDecimal("0.0014"), new BigDecimal("0.0028")));
        assertEquals(0, Cost.of(5, 5, null, null).signum());
    }

    @Test
    void usageEventRoundTripKeepsMoneyExactAndIgnoresUnknownFields() throws Exception {
        UsageEvent e = new UsageEvent(UUID.randomUUID(), "req-1", Instant.parse("2026-01-01T00:00:00Z"), "u", "k",
                "default", "chat-default", "fake", "m", "cost", 7, 3, 10, false, new BigDecimal("0.0000182000"),
                null, 12, null, false, false, UsageEvent.Outcome.SUCCESS, null,
                List.of(new UsageEvent.Attempt("a", "m", "UPSTREAM_5XX", 500, 3), new UsageEvent.Attempt("fake", "m", null, null, 9)));
        String json = mapper.writeValueAsString(e);
        assertTrue(json.contains("\"occurredAt\":\"2026-01-01T00:00:00Z\""), json);
        String withUnknown = json.replaceFirst("\\{", "{\"futureField\":{\"x\":1},");
        UsageEvent back = mapper.readValue(withUnknown, UsageEvent.class);
        assertEquals(e, back);
        assertEquals(new BigDecimal("0.0000182000"), back.costUsd());
    }

    @Test
    void usageEventTraceIdIsOptional() throws Exception {
        UsageEvent old = new UsageEvent(UUID.randomUUID(), "req-2", Instant.parse("2026-01-01T00:00:00Z"), "u", null,
                "default", "m", "fake", "m", "cost", 1, 1, 2, false, BigDecimal.ONE, null, 5, null, false, false,
                UsageEvent.Outcome.SUCCESS, null, List.of());
        String json = mapper.writeValueAsString(old);
        assertFalse(json.contains("traceId"), json); // an event without one is written as before
        assertEquals(null, mapper.readValue(json, UsageEvent.class).traceId());
        UsageEvent traced = old.withTraceId("4bf92f3577b34da6a3ce929d0e0e4736");
        String tjson = mapper.writeValueAsString(traced);
        assertTrue(tjson.contains("\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\""), tjson);
        assertEquals(traced, mapper.readValue(tjson, UsageEvent.class));
    }

    @Test
    void errorEnvelopeAlwaysHasFourKeys() throws Exception {
        String json = mapper.writeValueAsString(ErrorEnvelope.of("m", "t", null, null));
        assertEquals("{\"error\":{\"message\":\"m\",\"type\":\"t\",\"param\":null,\"code\":null}}", json);
    }

    @Test
    void errorClassesFollowTheTable() {
        assertEquals(ErrorClass.RATE_LIMITED, ErrorClass.fromHttpStatus(429));
        assertEquals(ErrorClass.OVERLOADED, ErrorClass.fromHttpStatus(529));
        assertEquals(ErrorClass.UPSTREAM_5XX, ErrorClass.fromHttpStatus(500));
        assertEquals(ErrorClass.INSUFFICIENT_CREDIT, ErrorClass.fromHttpStatus(402));
        assertFalse(ErrorClass.RATE_LIMITED.countsAgainstBreaker());
        assertTrue(ErrorClass.TIMEOUT.countsAgainstBreaker());
        assertEquals(504, ErrorClass.TIMEOUT.clientStatus());
        assertFalse(ErrorClass.BAD_REQUEST.fallback());
        assertTrue(ErrorClass.AUTH.clientShouldNotRetry());
        assertFalse(ErrorClass.OVERLOADED.clientShouldNotRetry());
    }

    @Test
    void keysAreHashedAndRelayRulesHold() {
        String k = KeyHashing.newKey();
        assertTrue(KeyHashing.looksLikeKey(k));
        assertEquals(64, KeyHashing.sha256Hex(k).length());
        assertNotEquals(KeyHashing.sha256Hex(k), KeyHashing.sha256Hex(KeyHashing.newKey()));
        assertTrue(AigwHeaders.relayedToClient("X-Aigw-Provider"));
        assertTrue(AigwHeaders.relayedToClient("retry-after"));
        assertFalse(AigwHeaders.relayedToClient("x-aigw-cost-usd"));
        assertFalse(AigwHeaders.relayedToClient("X-Aigw-Attempt-Log"));
        assertFalse(AigwHeaders.relayedToClient("set-cookie"));
    }
}
