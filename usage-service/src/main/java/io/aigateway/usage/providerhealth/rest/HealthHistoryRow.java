package io.aigateway.usage.providerhealth.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.UUID;

/** One stored provider health record, with every ProviderHealthEvent field (null ones too). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record HealthHistoryRow(UUID eventId, String provider, String type, boolean healthy, Boolean previousHealthy,
                               String detail, Long latencyMs, int consecutiveFailures, Instant checkedAt,
                               Instant occurredAt, String instance) {
}
