package io.aigateway.admin.common;

import org.jboss.logging.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/** The request ID of the current request: taken from {@code X-Request-Id} when sane, else generated; kept in MDC. */
public final class RequestIds {

    /** MDC key, used by the log format ({@code %X{requestId}}). */
    public static final String MDC_KEY = "requestId";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** The incoming value if it is safe to log and forward (no CR/LF or other injection), else a new UUID. */
    public static String acceptOrGenerate(String incoming) {
        if (incoming != null && SAFE.matcher(incoming).matches()) {
            return incoming;
        }
        return UUID.randomUUID().toString();
    }

    /** The current request's ID, or null outside a request. */
    public static String current() {
        Object value = MDC.get(MDC_KEY);
        return value == null ? null : value.toString();
    }
}
