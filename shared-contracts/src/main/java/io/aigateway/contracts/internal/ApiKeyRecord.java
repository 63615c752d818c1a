package io.aigateway.contracts.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.Set;

/**
 * A live API key as the edge needs it: the value of {@code aigw:key:<sha256>} in Redis and the answer of
 * admin-service's internal lookup {@code GET /internal/v1/keys/{hash}}. Never holds the key itself.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiKeyRecord(String keyId, String userId, Set<String> roles, Long expiresAtEpochMs) {

    public static final String REDIS_PREFIX = "aigw:key:";
    public static final String KEY_PREFIX = "aigw_";

    public ApiKeyRecord {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean expired(long nowEpochMs) {
        return expiresAtEpochMs != null && expiresAtEpochMs <= nowEpochMs;
    }
}
