package io.aigateway.admin.keys.rest;

import io.aigateway.admin.keys.service.NewKey;
import io.aigateway.contracts.error.ApiError;

import java.time.Instant;

/** Turns a create body into a validated {@link NewKey} (400 envelope on bad input). */
final class KeyRequests {

    private KeyRequests() {
    }

    static NewKey validate(CreateKeyRequest body) {
        if (body == null) {
            throw ApiError.badRequest("A JSON body {userId, roles, name?, expiresAt?} is required.", null).exception();
        }
        return NewKey.validate(body.userId(), body.roles(), body.name(), body.expiresAt(), Instant.now());
    }
}
