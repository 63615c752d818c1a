package io.aigateway.support.http;

import java.util.UUID;

/**
 * The one request-ID policy of every service: a caller's {@code X-Request-Id} is kept when it is 1–128 characters
 * of {@code [A-Za-z0-9._:-]} (safe in headers, logs and Kafka keys); anything else is replaced by a new UUID.
 */
public final class RequestIds {

    /** MDC key every service's log format prints ({@code %X{requestId}}). */
    public static final String MDC_KEY = "requestId";
    /** RoutingContext / request property under which the request's ID is kept. */
    public static final String CONTEXT_KEY = "aigw.requestId";
    public static final int MAX_LENGTH = 128;

    private RequestIds() {
    }

    /** The caller's ID when sane, else a fresh UUID. */
    public static String resolve(String incoming) {
        return isSane(incoming) ? incoming : UUID.randomUUID().toString();
    }

    /** The current request's ID (from the MDC), or null outside a request. */
    public static String current() {
        Object value = org.jboss.logging.MDC.get(MDC_KEY);
        return value == null ? null : value.toString();
    }

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
