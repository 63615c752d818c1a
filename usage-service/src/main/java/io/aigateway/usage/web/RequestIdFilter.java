package io.aigateway.usage.web;

import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.text.LogSafe;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Puts the caller's {@code X-Request-Id} into the MDC (key {@code requestId}) and echoes it back. */
public class RequestIdFilter {

    public static final String MDC_KEY = "requestId";
    private static final int MAX_LENGTH = 128;

    @ServerRequestFilter(preMatching = true, priority = 10)
    public void requestId(ContainerRequestContext ctx) {
        String id = ctx.getHeaderString(AigwHeaders.REQUEST_ID);
        if (id != null && !id.isEmpty() && id.length() <= MAX_LENGTH) {
            // escaped: the MDC value is printed in every log line of the request
            MDC.put(MDC_KEY, LogSafe.escape(id, MAX_LENGTH));
        } else {
            MDC.remove(MDC_KEY);
        }
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = MDC.get(MDC_KEY);
        if (id != null) {
            response.getHeaders().putSingle(AigwHeaders.REQUEST_ID, id);
        }
    }
}
