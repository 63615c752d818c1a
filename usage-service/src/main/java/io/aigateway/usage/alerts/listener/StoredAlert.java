package io.aigateway.usage.alerts.listener;

import java.time.Instant;
import java.util.UUID;

/** An alert as it is stored: its id, type, subject, time and the JSON object as sent. */
public record StoredAlert(UUID alertId, String type, String subject, Instant occurredAt, String payloadJson) {
}
