package io.aigateway.usage.analytics.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** {@code ?format=csv} on the costs route is {@code Accept: text/csv}, so JAX-RS picks the CSV method. */
public class CsvFormatFilter {

    @ServerRequestFilter(preMatching = true)
    public void formatCsv(ContainerRequestContext request) {
        if ("csv".equals(request.getUriInfo().getQueryParameters().getFirst("format"))
                && CostsResource.PATH.equals(request.getUriInfo().getPath())) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, CostsResource.TEXT_CSV);
        }
    }
}
