package io.aigateway.admin.keys.service;

/** CDI event fired after a key was revoked (caches drop it). */
public record KeyRevoked(String keyId, String keyHash) {
}
