package io.aigateway.contracts.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** API key format and hashing, shared by admin-service (issues keys) and the edge (checks them). */
public final class KeyHashing {

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyHashing() {
    }

    /** SHA-256 of the key, lower-case hex: the only form in which a key is stored. */
    public static String sha256Hex(String key) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** A new key: {@code aigw_} + 32 random bytes, base64url without padding. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return ApiKeyRecord.KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a presented bearer value looks like one of our keys (cheap check before hashing). */
    public static boolean looksLikeKey(String value) {
        return value != null && value.startsWith(ApiKeyRecord.KEY_PREFIX) && value.length() > 10 && value.length() < 200;
    }
}
