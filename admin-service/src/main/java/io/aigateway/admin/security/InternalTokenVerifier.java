package io.aigateway.admin.security;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Holds the shared service token and compares presented tokens in constant time. Fails the start when blank. */
@Startup
@ApplicationScoped
public class InternalTokenVerifier {

    private final byte[] expected;

    public InternalTokenVerifier(InternalConfig config) {
        if (config.token().isBlank()) {
            throw new IllegalStateException("aigw.internal.token (AIGW_INTERNAL_TOKEN) must not be blank");
        }
        this.expected = config.token().getBytes(StandardCharsets.UTF_8);
    }

    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }
}
