package io.aigateway.contracts.usage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One finished request (success or failure) on topic {@code ai.usage.v1}, keyed by user. Evolves only
 * additively: new optional fields; consumers ignore unknown ones. Money is decimal USD (JSON number).
 *
 * @param eventId made once per request outcome by routing-service; a resend reuses it (idempotency key)
 * @param traceId the W3C trace id (32 lowercase hex) of the request's trace, when routing had one; optional (older
 *                events have none), kept by a resend from the spool so the stored record points at the original trace
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UsageEvent(
        UUID eventId,
        String requestId,
        Instant occurredAt,
        String userId,
        String keyId,
        String context,
        String requestedModel,
        String provider,
        String model,
        String policy,
        int promptTokens,
        int completionTokens,
        int totalTokens,
        boolean usageEstimated,
        BigDecimal costUsd,
        BigDecimal costSavedUsd,
        long latencyMs,
        Long ttftMs,
        boolean streamed,
        boolean cached,
        Outcome outcome,
        String errorClass,
        List<Attempt> attempts,
        String traceId) {

    public UsageEvent {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
        costUsd = costUsd == null ? BigDecimal.ZERO : costUsd;
    }

    /** An event without a trace id (what producers wrote before traces existed). */
    public UsageEvent(UUID eventId, String requestId, Instant occurredAt, String userId, String keyId, String context,
                      String requestedModel, String provider, String model, String policy, int promptTokens,
                      int completionTokens, int totalTokens, boolean usageEstimated, BigDecimal costUsd,
                      BigDecimal costSavedUsd, long latencyMs, Long ttftMs, boolean streamed, boolean cached,
                      Outcome outcome, String errorClass, List<Attempt> attempts) {
        this(eventId, requestId, occurredAt, userId, keyId, context, requestedModel, provider, model, policy,
                promptTokens, completionTokens, totalTokens, usageEstimated, costUsd, costSavedUsd, latencyMs, ttftMs,
                streamed, cached, outcome, errorClass, attempts, null);
    }

    /** The same event with {@code traceId}. */
    public UsageEvent withTraceId(String traceId) {
        return new UsageEvent(eventId, requestId, occurredAt, userId, keyId, context, requestedModel, provider, model,
                policy, promptTokens, completionTokens, totalTokens, usageEstimated, costUsd, costSavedUsd, latencyMs,
                ttftMs, streamed, cached, outcome, errorClass, attempts, traceId);
    }

    public enum Outcome { SUCCESS, ERROR, PARTIAL }

    /** One try of one candidate. {@code errorClass} and {@code status} are null for the successful one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(String provider, String model, String errorClass, Integer status, long latencyMs) {
    }
}
