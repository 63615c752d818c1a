package io.aigateway.admin.keys.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * Body of {@code POST /internal/v1/users/{userId}/keys}: what a user may choose for a key of their own. The owner
 * comes from the path and the role is always {@code user}; anything else in the body is ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserKeyRequest(String name, Instant expiresAt) {
}
