package io.aigateway.contracts.health;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.UUID;

/**
 * One provider health record on {@code ai.health.v1} (key: provider id), produced by adapter-service: a
 * {@code TRANSITION} when a check's result differs from the previous one (or is the first), a {@code SNAPSHOT} of
 * every enabled provider at a fixed interval (5 minutes by default). usage-service stores them (idempotent on
 * {@code eventId}) for the admin health history.
 *
 * @param previousHealthy     null on the first check of an instance
 * @param consecutiveFailures failed checks in a row up to and including this one (0 when healthy)
 * @param instance            the adapter instance that checked (host name)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProviderHealthEvent(UUID eventId, String provider, Type type, boolean healthy, Boolean previousHealthy,
                                  String detail, Long latencyMs, int consecutiveFailures, Instant checkedAt,
                                  Instant occurredAt, String instance) {

    public enum Type { TRANSITION, SNAPSHOT }
}
