package io.aigateway.admin.keys.rest;

import io.aigateway.admin.keys.repository.ApiKeyEntity;
import io.aigateway.admin.keys.service.ApiKeyService.IssuedKey;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** What the edge gets back from the user-key routes (the contract in docs/admin-api.md). */
public final class UserKeyViews {

    private UserKeyViews() {
    }

    /** A user's key as listed: never the key, never its hash. */
    @Schema(name = "OwnKey", description = "One of the user's keys (never the key or its hash).")
    public record Listed(String keyId, String name, List<String> roles, Instant createdAt, Instant expiresAt,
                         Instant revokedAt) {

        static Listed of(ApiKeyEntity e) {
            return new Listed(e.getKeyId(), e.getName(), e.roleList(), e.getCreatedAt(), e.getExpiresAt(),
                    e.getRevokedAt());
        }
    }

    /** {@code {"data":[…]}}, newest first. */
    @Schema(name = "OwnKeyPage")
    public record Page(List<Listed> data) {
    }

    /** A new key: the only time the plaintext {@code key} is shown. */
    @Schema(name = "OwnKeyCreated", description = "A new key of the user; key is shown this once.")
    public record Created(String keyId, String key, String name, List<String> roles, Instant createdAt,
                          Instant expiresAt) {

        static Created of(IssuedKey issued) {
            ApiKeyEntity e = issued.entity();
            return new Created(e.getKeyId(), issued.key(), e.getName(), e.roleList(), e.getCreatedAt(),
                    e.getExpiresAt());
        }
    }
}
