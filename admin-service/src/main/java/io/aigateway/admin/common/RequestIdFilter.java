package io.aigateway.admin.common;

import io.aigateway.contracts.internal.AigwHeaders;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Gives every request one request ID (the caller's {@code X-Request-Id} or a new one), puts it in MDC for
 * the request's log lines (MDC is bound to the request's Vert.x context) and returns it as {@code x-request-id}.
 * Runs before every other filter, including the authentication ones, so that their log lines carry it too.
 */
public class RequestIdFilter {

    static final String PROPERTY = "aigw.requestId";

    @ServerRequestFilter(preMatching = true, priority = 10)
    public void assign(ContainerRequestContext ctx) {
        String id = RequestIds.acceptOrGenerate(ctx.getHeaderString(AigwHeaders.REQUEST_ID));
        ctx.setProperty(PROPERTY, id);
        MDC.put(RequestIds.MDC_KEY, id);
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        Object id = request.getProperty(PROPERTY);
        if (id != null) {
            response.getHeaders().putSingle("x-request-id", id);
        }
    }
}
