package io.aigateway.admin.keys.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;
import java.util.List;

/** Body of {@code POST /internal/v1/keys} and {@code POST /api/v1/ai/admin/keys}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreateKeyRequest(String userId, List<String> roles, String name, Instant expiresAt) {
}
