package io.aigateway.support.security;

import io.aigateway.contracts.internal.AigwHeaders;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * This service's own credential for its internal calls ({@code aigw.service-auth.token}). Every internal client
 * sets its header through {@link #apply}; a service that calls others and has no token fails at first use with
 * a message naming the property.
 */
@ApplicationScoped
public class ServiceCredentials {

    public static final String HEADER = AigwHeaders.INTERNAL_TOKEN;

    private final String token;

    public ServiceCredentials(ServiceAuthConfig config) {
        this.token = config.token().filter(t -> !t.isBlank()).orElse(null);
    }

    /** The token to send; fails when this service has none configured. */
    public String token() {
        if (token == null) {
            throw new IllegalStateException("aigw.service-auth.token (this service's own credential) is not set");
        }
        return token;
    }

    public boolean configured() {
        return token != null;
    }

    public MultiMap apply(MultiMap headers) {
        return headers.set(HEADER, token());
    }
}
