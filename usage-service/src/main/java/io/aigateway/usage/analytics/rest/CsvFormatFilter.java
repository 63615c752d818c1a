package io.aigateway.usage.analytics.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;

/**
 * Picks the costs route's representation before matching: CSV when {@code ?format=csv} or the Accept header names
 * {@code text/csv}, else JSON (also for {@code Accept: *}{@code /*} or none, where JAX-RS could pick either method).
 */
public class CsvFormatFilter {

    @ServerRequestFilter(preMatching = true)
    public void chooseRepresentation(ContainerRequestContext request) {
        if (!CostsResource.PATH.equals(request.getUriInfo().getPath())) {
            return;
        }
        String format = request.getUriInfo().getQueryParameters().getFirst("format");
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        boolean csv = "csv".equals(format)
                || (format == null && accept != null && accept.toLowerCase(Locale.ROOT).contains(CostsResource.TEXT_CSV));
        request.getHeaders().putSingle(HttpHeaders.ACCEPT, csv ? CostsResource.TEXT_CSV : MediaType.APPLICATION_JSON);
    }
}
