package io.aigateway.support.http;

import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.support.tracing.Traces;
import io.opentelemetry.api.trace.Span;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

/**
 * Gives every request its one request ID ({@link RequestIds#resolve}) before anything else runs, keeps it in the
 * routing context ({@link RequestIds#CONTEXT_KEY}) and the MDC (so every log line of the request, the security
 * layer's included, carries it) and returns it as {@code x-request-id}. It also becomes the attribute
 * {@value Traces#REQUEST_ID} of the request's server span (Quarkus OpenTelemetry opens that span, and makes it current
 * on the request's duplicated context, before any route filter runs; without tracing the span is a no-op).
 */
@ApplicationScoped
public class RequestIdFilter {

    public static final int PRIORITY = 400;

    void register(@Observes Filters filters) {
        filters.register(this::assign, PRIORITY);
    }

    void assign(RoutingContext rc) {
        String id = RequestIds.resolve(rc.request().getHeader(AigwHeaders.REQUEST_ID));
        rc.put(RequestIds.CONTEXT_KEY, id);
        MDC.put(RequestIds.MDC_KEY, id);
        Span.current().setAttribute(Traces.REQUEST_ID, id);
        rc.response().putHeader("x-request-id", id);
        rc.next();
    }

    /** The request's ID as assigned by this filter (a fresh one if the filter did not run). */
    public static String of(RoutingContext rc) {
        String id = rc.get(RequestIds.CONTEXT_KEY);
        return id != null ? id : RequestIds.resolve(rc.request().getHeader(AigwHeaders.REQUEST_ID));
    }
}
