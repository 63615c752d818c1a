package io.aigateway.support.http;

/** The one parser of {@code Authorization: Bearer <token>} (scheme case-insensitive, surrounding blanks ignored). */
public final class BearerTokens {

    private static final String BEARER = "bearer ";

    private BearerTokens() {
    }

    /** The token, or null when the header is absent, another scheme, or empty. */
    public static String parse(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String value = authorization.substring(BEARER.length()).strip();
        return value.isEmpty() ? null : value;
    }
}
