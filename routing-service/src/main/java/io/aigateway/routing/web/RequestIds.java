package io.aigateway.routing.web;

import java.util.UUID;
import java.util.regex.Pattern;

/** Request ID handling: the edge sends one; a missing or implausible one is replaced. */
public final class RequestIds {

    public static final String MDC_KEY = "requestId";
    /** RoutingContext key under which the request's ID is kept. */
    public static final String CONTEXT_KEY = "aigw.requestId";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    public static String sanitize(String incoming) {
        return incoming != null && SAFE.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    }
}
