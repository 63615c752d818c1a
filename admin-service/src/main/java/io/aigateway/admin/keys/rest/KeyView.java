package io.aigateway.admin.keys.rest;

import io.aigateway.admin.keys.repository.ApiKeyEntity;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A key as admins list it: never the key, never its hash. */
@Schema(description = "An API key as admins see it (never the key or its hash).")
public record KeyView(String keyId, String userId, List<String> roles, String name, Instant createdAt,
                      Instant expiresAt, Instant revokedAt, boolean active) {

    static KeyView of(ApiKeyEntity e, Instant now) {
        return new KeyView(e.getKeyId(), e.getUserId(), e.roleList(), e.getName(), e.getCreatedAt(),
                e.getExpiresAt(), e.getRevokedAt(), e.live(now));
    }

    /** {@code {"data":[…]}}, newest first. */
    @Schema(name = "KeyViewPage")
    public record Page(List<KeyView> data) {
    }
}
