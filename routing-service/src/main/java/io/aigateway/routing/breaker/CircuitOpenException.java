package io.aigateway.routing.breaker;

/** A provider's circuit is open: the call was rejected without reaching the adapter. Expected: no stack trace. */
public final class CircuitOpenException extends RuntimeException {

    private final String provider;

    public CircuitOpenException(String provider) {
        super("circuit breaker of provider " + provider + " is open", null, false, false);
        this.provider = provider;
    }

    public String provider() {
        return provider;
    }
}
