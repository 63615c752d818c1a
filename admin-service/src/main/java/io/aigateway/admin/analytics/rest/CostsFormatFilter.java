package io.aigateway.admin.analytics.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;

/**
 * Picks the costs route's representation before matching: CSV when {@code ?format=csv}, or when the Accept header
 * names {@code text/csv} and no {@code format} says otherwise; else JSON (also for {@code Accept: *}{@code /*} or none,
 * where JAX-RS could pick either method). The CSV method streams a {@code RestMulti}, whose media type must be fixed
 * before the call: the role check wraps the method, so it cannot be negotiated afterwards.
 */
public class CostsFormatFilter {

    @ServerRequestFilter(preMatching = true)
    public void chooseRepresentation(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!AdminUsageResource.COSTS_PATH.equals(path)) {
            return;
        }
        String format = request.getUriInfo().getQueryParameters().getFirst("format");
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        boolean csv = format != null ? format.equalsIgnoreCase("csv")
                : accept != null && accept.toLowerCase(Locale.ROOT).contains(AdminUsageResource.TEXT_CSV);
        request.getHeaders().putSingle(HttpHeaders.ACCEPT, csv ? AdminUsageResource.TEXT_CSV : MediaType.APPLICATION_JSON);
    }
}
