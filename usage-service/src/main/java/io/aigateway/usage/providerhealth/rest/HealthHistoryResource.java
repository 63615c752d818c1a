package io.aigateway.usage.providerhealth.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.support.security.ServiceRoles;
import io.aigateway.usage.providerhealth.repository.ProviderHealthRepository;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Provider health history (transitions and snapshots from ai.health.v1) for admin-service and operators:
 * {@code {"rows":[...],"nextCursor"}}, newest first, in {@code [from, to)}.
 */
@RolesAllowed({ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/health/history")
@Produces(MediaType.APPLICATION_JSON)
public class HealthHistoryResource {

    private final ProviderHealthRepository repository;
    private final HistoryParams params;

    public HealthHistoryResource(ProviderHealthRepository repository, HistoryParams params) {
        this.repository = repository;
        this.params = params;
    }

    @Operation(summary = "Provider health history",
                description = "Newest first, paged. Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = HistoryPage.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @GET
    public Uni<HistoryPage<HealthHistoryRow>> history(@RestQuery String provider, @RestQuery String from,
                                                      @RestQuery String to, @RestQuery String cursor,
                                                      @RestQuery String limit) {
        String p = params.filter(provider, "provider");
        HistoryParams.TimeRange range = params.range(from, to);
        HistoryParams.Cursor c = params.cursor(cursor);
        int max = params.limit(limit);
        return repository.page(p, range, c, max);
    }
}
