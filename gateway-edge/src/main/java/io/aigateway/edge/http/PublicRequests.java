package io.aigateway.edge.http;

import io.aigateway.support.http.RequestIdFilter;
import io.aigateway.support.http.RequestIds;

import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.edge.metrics.EdgeMetrics;
import io.aigateway.edge.metrics.EdgeTiming;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.MDC;

/** What every public request gets first: its request ID (MDC + response header) and a status counter. */
@ApplicationScoped
public class PublicRequests {

    private final EdgeMetrics metrics;

    public PublicRequests(EdgeMetrics metrics) {
        this.metrics = metrics;
    }

    /** @return the request ID (client's when sane, else a new UUID) */
    public String begin(RoutingContext rc, String route) {
        String rid = RequestIdFilter.of(rc); // assigned, put in MDC and echoed by service-support's filter
        MDC.put(RequestIds.MDC_KEY, rid);
        HttpServerResponse resp = rc.response();
        resp.putHeader("x-request-id", rid);
        rc.addHeadersEndHandler(v -> metrics.request(route, resp.getStatusCode()));
        return rid;
    }

    /** Records {@code aigw_edge_overhead_seconds{route}} for a request relayed to routing (see {@link EdgeTiming}). */
    public void timeOverhead(RoutingContext rc, String route, long startNanos) {
        EdgeTiming.start(rc, route, startNanos, metrics);
    }
}
