package io.aigateway.usage.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.support.security.ServiceRoles;
import io.aigateway.usage.analytics.service.AnalyticsService;
import io.aigateway.usage.analytics.service.AnalyticsViews.RequestUsage;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;

/** {@code GET /internal/v1/usage/requests/{requestId}}: the usage records of one request, with their attempts. */
@RolesAllowed({ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/usage/requests")
@Produces(MediaType.APPLICATION_JSON)
public class RequestUsageResource {

    private static final int MAX_ID_LENGTH = 1024;

    private final AnalyticsService analytics;

    public RequestUsageResource(AnalyticsService analytics) {
        this.analytics = analytics;
    }

    @Operation(summary = "Usage records of one request",
                description = "With the attempts. Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = RequestUsage.class)))
    @APIResponse(responseCode = "404", description = "Not found (OpenAI envelope).")
    @GET
    @Path("/{requestId}")
    public Uni<RequestUsage> request(@RestPath String requestId) {
        if (requestId == null || requestId.isBlank() || requestId.length() > MAX_ID_LENGTH) {
            throw ApiError.badRequest("'requestId' must be 1 to " + MAX_ID_LENGTH + " characters.", "requestId")
                    .exception();
        }
        return analytics.request(requestId);
    }
}
