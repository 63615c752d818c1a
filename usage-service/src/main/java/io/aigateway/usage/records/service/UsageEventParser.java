package io.aigateway.usage.records.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.aigateway.contracts.usage.UsageEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;

/** Reads one {@code ai.usage.v1} value into a {@link UsageEvent} and checks what the table requires. */
@ApplicationScoped
public class UsageEventParser {

    /** numeric(20,10): at most 10 digits before the point. */
    private static final BigDecimal MAX_MONEY = new BigDecimal("1E10");

    private final ObjectReader reader;

    public UsageEventParser(ObjectMapper mapper) {
        this.reader = mapper.readerFor(UsageEvent.class);
    }

    public UsageEvent parse(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidUsageEventException("empty record");
        }
        UsageEvent event;
        try {
            event = reader.readValue(json);
        } catch (JsonProcessingException e) {
            // Only the location: the message may echo record content.
            throw new InvalidUsageEventException("not a UsageEvent JSON object (" + e.getClass().getSimpleName()
                    + (e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr()) + ")");
        }
        if (event == null) {
            throw new InvalidUsageEventException("null record");
        }
        validate(event);
        return event;
    }

    static void validate(UsageEvent e) {
        require(e.eventId() != null, "eventId is required");
        require(e.userId() != null && !e.userId().isBlank(), "userId is required");
        require(e.occurredAt() != null, "occurredAt is required");
        require(e.outcome() != null, "outcome is required");
        require(e.promptTokens() >= 0 && e.completionTokens() >= 0 && e.totalTokens() >= 0,
                "token counts must not be negative");
        require(e.latencyMs() >= 0 && (e.ttftMs() == null || e.ttftMs() >= 0), "latencies must not be negative");
        require(money(e.costUsd()), "costUsd out of range");
        require(e.costSavedUsd() == null || money(e.costSavedUsd()), "costSavedUsd out of range");
    }

    private static boolean money(BigDecimal v) {
        return v.signum() >= 0 && v.compareTo(MAX_MONEY) < 0;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new InvalidUsageEventException(message);
        }
    }
}
