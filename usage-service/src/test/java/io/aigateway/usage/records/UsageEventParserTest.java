package io.aigateway.usage.records;

import io.aigateway.contracts.internal.Json;
import io.aigateway.usage.records.service.DbFailures;
import io.aigateway.usage.records.service.InvalidUsageEventException;
import io.aigateway.usage.records.service.UsageEventParser;
import io.aigateway.contracts.usage.UsageEvent;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.ConnectException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageEventParserTest {

    private final UsageEventParser parser = new UsageEventParser(Json.newMapper());

    private static final String VALID = "{\"eventId\":\"6f1c8a52-3c43-4a4e-9d8f-0f7a3f0e7b11\",\"requestId\":\"r1\","
            + "\"occurredAt\":\"2025-01-02T03:04:05.123456Z\",\"userId\":\"u1\",\"outcome\":\"SUCCESS\","
            + "\"promptTokens\":3,\"completionTokens\":4,\"totalTokens\":7,\"costUsd\":0.12345678901234567890,"
            + "\"someFutureField\":{\"x\":1},\"attempts\":[{\"provider\":\"p\",\"model\":\"m\",\"latencyMs\":5}]}";

    @Test
    void readsMoneyExactlyAndIgnoresUnknownFields() {
        UsageEvent e = parser.parse(VALID);
        assertEquals(new BigDecimal("0.12345678901234567890"), e.costUsd());
        assertEquals("2025-01-02T03:04:05.123456Z", e.occurredAt().toString());
        assertEquals(1, e.attempts().size());
        assertEquals(5L, e.attempts().get(0).latencyMs());
    }

    @Test
    void rejectsWhatCannotBeStored() {
        assertThrows(InvalidUsageEventException.class, () -> parser.parse(null));
        assertThrows(InvalidUsageEventException.class, () -> parser.parse("  "));
        assertThrows(InvalidUsageEventException.class, () -> parser.parse("{not json"));
        assertThrows(InvalidUsageEventException.class, () -> parser.parse("[1,2]"));
        assertThrows(InvalidUsageEventException.class, () -> parser.parse("null"));
        assertThrows(InvalidUsageEventException.class, () -> parser.parse(VALID.replace("\"userId\":\"u1\",", "")));
        assertThrows(InvalidUsageEventException.class, () -> parser.parse(VALID.replace("\"outcome\":\"SUCCESS\",", "")));
        assertThrows(InvalidUsageEventException.class, () -> parser.parse(VALID.replace("SUCCESS", "MAYBE")));
        assertThrows(InvalidUsageEventException.class, () -> parser.parse(VALID.replace("\"promptTokens\":3", "\"promptTokens\":-3")));
        assertThrows(InvalidUsageEventException.class, () -> parser.parse(VALID.replace("0.12345678901234567890", "-1")));
        assertThrows(InvalidUsageEventException.class, () -> parser.parse(VALID.replace("0.12345678901234567890", "10000000000")));
        assertThrows(InvalidUsageEventException.class, () -> parser.parse(VALID.replace("6f1c8a52-3c43-4a4e-9d8f-0f7a3f0e7b11", "nope")));
    }

    @Test
    void onlyDataErrorsArePermanent() {
        assertTrue(DbFailures.isPermanent(new PgException("bad", "ERROR", "22003", "numeric overflow")));
        assertTrue(DbFailures.isPermanent(new PgException("bad", "ERROR", "23502", "null value")));
        assertTrue(DbFailures.isPermanent(new InvalidUsageEventException("x")));
        assertFalse(DbFailures.isPermanent(new PgException("down", "FATAL", "57P01", "admin shutdown")));
        assertFalse(DbFailures.isPermanent(new ConnectException("refused")));
        assertTrue(DbFailures.isTransient(new IllegalStateException("Pool closed")));
    }
}
