package io.aigateway.usage.alerts.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/** One stored alert; {@code payload} is the JSON object as it was sent on ai.alerts.v1 (key order as jsonb keeps it). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AlertRow(UUID alertId, String type, String subject, Instant occurredAt, JsonNode payload) {
}
