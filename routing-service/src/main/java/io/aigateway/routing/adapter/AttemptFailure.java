package io.aigateway.routing.adapter;

import io.aigateway.contracts.error.ProviderError;

/**
 * One candidate failed: the adapter's {@link ProviderError} (or one made up for a failure of the hop
 * itself) plus the adapter's HTTP status when there was an answer. An expected outcome: no stack trace.
 */
public final class AttemptFailure extends RuntimeException {

    private final transient ProviderError error;
    private final Integer adapterStatus;

    public AttemptFailure(ProviderError error, Integer adapterStatus) {
        super(error.message(), null, false, false);
        this.error = error;
        this.adapterStatus = adapterStatus;
    }

    public ProviderError error() {
        return error;
    }

    /** The status recorded for the attempt: the provider's when known, else the adapter's answer's. */
    public Integer status() {
        return error.providerStatus() != null ? error.providerStatus() : adapterStatus;
    }
}
