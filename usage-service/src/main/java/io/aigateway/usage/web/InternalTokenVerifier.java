package io.aigateway.usage.web;

import io.aigateway.usage.config.InternalAuthConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks a presented internal token against {@code aigw.internal.token} in constant time: both sides are
 * hashed first, so neither the content nor the length of the secret leaks through timing.
 */
@ApplicationScoped
public class InternalTokenVerifier {

    private final byte[] expectedDigest;

    public InternalTokenVerifier(InternalAuthConfig config) {
        String token = config.token();
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("aigw.internal.token (AIGW_INTERNAL_TOKEN) must not be blank");
        }
        this.expectedDigest = sha256(token);
    }

    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
