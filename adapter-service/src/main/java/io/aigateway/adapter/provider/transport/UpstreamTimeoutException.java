package io.aigateway.adapter.provider.transport;

/** A deadline of the transport passed (first byte, between chunks, whole answer); an expected outcome, no stack trace. */
public final class UpstreamTimeoutException extends RuntimeException {

    public UpstreamTimeoutException(String what) {
        super(what, null, false, false);
    }
}
