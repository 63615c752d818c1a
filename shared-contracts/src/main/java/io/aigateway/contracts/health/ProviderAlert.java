package io.aigateway.contracts.health;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.UUID;

/**
 * A provider alert on {@code ai.alerts.v1} (key: {@code provider:<id>}), produced by adapter-service once per outage:
 * when a provider's health checks failed {@code threshold} times in a row (not again until a check succeeds).
 * {@code type} is {@value #TYPE}; quota alerts on the same topic have type {@code quota_threshold}.
 *
 * @param since the time of the first failed check of this outage
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProviderAlert(UUID alertId, String type, Instant occurredAt, String provider, int consecutiveFailures,
                            int threshold, String detail, Instant since, String instance) {

    public static final String TYPE = "provider_unhealthy";
}
