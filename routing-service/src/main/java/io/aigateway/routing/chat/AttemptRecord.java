package io.aigateway.routing.chat;

import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.route.Candidate;

/**
 * One try of one candidate; {@code error} is null for a success. {@code label} overrides the error class
 * name in the usage event ({@code CIRCUIT_OPEN} for a call an open breaker rejected without calling).
 */
public record AttemptRecord(Candidate candidate, ProviderError error, Integer status, long latencyMs, String label) {

    public static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";

    public AttemptRecord(Candidate candidate, ProviderError error, Integer status, long latencyMs) {
        this(candidate, error, status, latencyMs, null);
    }

    public ErrorClass errorClass() {
        return error == null ? null : error.errorClass();
    }

    public boolean rejectedByBreaker() {
        return CIRCUIT_OPEN.equals(label);
    }

    /** The class name as reported (usage event, final error message). */
    public String errorName() {
        return label != null ? label : error == null ? null : error.errorClass().name();
    }

    public UsageEvent.Attempt toUsage() {
        return new UsageEvent.Attempt(candidate.providerId(), candidate.modelId(), errorName(), status, latencyMs);
    }
}
