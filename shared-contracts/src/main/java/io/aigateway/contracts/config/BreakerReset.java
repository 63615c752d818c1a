package io.aigateway.contracts.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * An admin's request to close the circuit breaker of a provider on every routing instance (value of
 * {@code breaker-reset:<provider>} on {@code ai.config.v1}). An instance resets its breaker when it reads a request
 * newer than the last one it applied and made after the instance started (older ones are history: a new instance's
 * breakers start closed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BreakerReset(String provider, Instant requestedAt, String requestedBy) {
}
