package io.aigateway.adapter.provider;

import io.aigateway.contracts.error.ProviderError;

/** A provider failure mapped into the taxonomy; an expected outcome, so no stack trace. */
public class ProviderException extends RuntimeException {

    private final transient ProviderError error;

    public ProviderException(ProviderError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ProviderError error() {
        return error;
    }
}
