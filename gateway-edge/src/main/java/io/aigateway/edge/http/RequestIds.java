package io.aigateway.edge.http;

import java.util.UUID;

/** Request ID of a public request: the client's {@code X-Request-Id} when sane, else a new UUID. */
public final class RequestIds {

    public static final String MDC_KEY = "requestId";
    public static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    public static String resolve(String clientValue) {
        return isSane(clientValue) ? clientValue : UUID.randomUUID().toString();
    }

    /** Printable, at most 128 characters of {@code [A-Za-z0-9._:-]}. */
    public static boolean isSane(String v) {
        if (v == null || v.isEmpty() || v.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
