package io.aigateway.support.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A presented {@code X-Aigw-Internal-Token}, on its way to {@link ServiceTokenIdentityProvider}. */
public final class ServiceTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public ServiceTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
