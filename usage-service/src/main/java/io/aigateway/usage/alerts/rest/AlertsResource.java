package io.aigateway.usage.alerts.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.support.security.ServiceRoles;
import io.aigateway.usage.alerts.repository.AlertRepository;
import io.aigateway.usage.providerhealth.rest.HistoryPage;
import io.aigateway.usage.providerhealth.rest.HistoryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Alerts from ai.alerts.v1 (provider_unhealthy, quota_threshold) for admin-service and operators:
 * {@code {"rows":[{alertId,type,subject,occurredAt,payload}],"nextCursor"}}, newest first, in {@code [from, to)}.
 */
@RolesAllowed({ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public class AlertsResource {

    private final AlertRepository repository;
    private final HistoryParams params;

    public AlertsResource(AlertRepository repository, HistoryParams params) {
        this.repository = repository;
        this.params = params;
    }

    @Operation(summary = "Alerts",
                description = "Newest first, paged. Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = HistoryPage.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @GET
    public Uni<HistoryPage<AlertRow>> alerts(@RestQuery String type, @RestQuery String subject,
                                             @RestQuery String from, @RestQuery String to,
                                             @RestQuery String cursor, @RestQuery String limit) {
        String t = params.filter(type, "type");
        String s = params.filter(subject, "subject");
        HistoryParams.TimeRange range = params.range(from, to);
        HistoryParams.Cursor c = params.cursor(cursor);
        int max = params.limit(limit);
        return repository.page(t, s, range, c, max);
    }
}
