package io.aigateway.usage.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.support.security.ServiceRoles;
import io.aigateway.usage.analytics.service.AnalyticsParams;
import io.aigateway.usage.analytics.service.AnalyticsService;
import io.aigateway.usage.analytics.service.AnalyticsViews.Metrics;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** {@code GET /internal/v1/usage/metrics?window=15m|1h|24h} (default 1h): the window's summary from raw rows. */
@RolesAllowed({ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/usage/metrics")
@Produces(MediaType.APPLICATION_JSON)
public class MetricsResource {

    private final AnalyticsService analytics;

    public MetricsResource(AnalyticsService analytics) {
        this.analytics = analytics;
    }

    @Operation(summary = "Request metrics over a window",
                description = "15m, 1h or 24h. Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Metrics.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @GET
    public Uni<Metrics> metrics(@RestQuery String window) {
        String w = window == null ? "1h" : window;
        return analytics.metrics(w.trim(), AnalyticsParams.window(w), Instant.now().truncatedTo(ChronoUnit.MICROS));
    }
}
