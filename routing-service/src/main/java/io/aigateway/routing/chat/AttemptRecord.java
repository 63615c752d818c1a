package io.aigateway.routing.chat;

import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.route.Candidate;

/** One try of one candidate; {@code error} is null for a success. */
public record AttemptRecord(Candidate candidate, ProviderError error, Integer status, long latencyMs) {

    public ErrorClass errorClass() {
        return error == null ? null : error.errorClass();
    }

    public UsageEvent.Attempt toUsage() {
        return new UsageEvent.Attempt(candidate.providerId(), candidate.modelId(),
                error == null ? null : error.errorClass().name(), status, latencyMs);
    }
}
