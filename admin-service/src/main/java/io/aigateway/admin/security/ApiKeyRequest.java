package io.aigateway.admin.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A presented API key ({@code Authorization: Bearer aigw_…}), on its way to {@link ApiKeyIdentityProvider}. */
final class ApiKeyRequest extends BaseAuthenticationRequest {

    private final String key;

    ApiKeyRequest(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }
}
