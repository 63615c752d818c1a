package io.aigateway.admin.keys.rest;

import io.aigateway.admin.keys.service.ApiKeyService.IssuedKey;

import java.time.Instant;
import java.util.List;

/** Answer of a key creation: the only time the plaintext {@code key} is ever shown. */
public record CreatedKeyResponse(String key, String keyId, String userId, List<String> roles, String name,
                                 Instant createdAt, Instant expiresAt) {

    static CreatedKeyResponse of(IssuedKey issued) {
        var e = issued.entity();
        return new CreatedKeyResponse(issued.key(), e.getKeyId(), e.getUserId(), e.roleList(), e.getName(),
                e.getCreatedAt(), e.getExpiresAt());
    }
}
