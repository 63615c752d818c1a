package io.aigateway.usage.records.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.support.security.ServiceRoles;
import jakarta.annotation.security.RolesAllowed;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.usage.config.UsageConfig;
import io.aigateway.usage.records.repository.UsageRecordRepository;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

/** Usage queries for other services (internal token required, see InternalTokenFilter). */
@RolesAllowed({ServiceRoles.ADMIN, ServiceRoles.EDGE, ServiceRoles.OPS})
@Path("/internal/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    private final UsageRecordRepository repository;
    private final UsageConfig.Query config;

    public UsageResource(UsageRecordRepository repository, UsageConfig config) {
        this.repository = repository;
        this.config = config.query();
    }

    @Operation(summary = "Usage records",
                description = "Newest first, by user or request id. Callers: admin, edge, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = UsagePage.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @GET
    public Uni<UsagePage> list(@RestQuery String userId, @RestQuery String requestId, @RestQuery String limit) {
        if (userId == null || userId.isBlank()) {
            throw ApiError.badRequest("Query parameter 'userId' is required.", "userId").exception();
        }
        int max = parseLimit(limit);
        String request = requestId == null || requestId.isBlank() ? null : requestId;
        return repository.findByUser(userId, request, max).map(UsagePage::new);
    }

    private int parseLimit(String limit) {
        if (limit == null || limit.isBlank()) {
            return config.defaultLimit();
        }
        int value;
        try {
            value = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 1 || value > config.maxLimit()) {
            throw ApiError.badRequest("Query parameter 'limit' must be an integer from 1 to " + config.maxLimit() + ".",
                    "limit").exception();
        }
        return value;
    }
}
