package io.aigateway.usage.quota.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.support.security.ServiceRoles;
import io.aigateway.usage.quota.service.QuotaService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Tiers, per-user and per-key limits, and resets (admin-service and operators). Bodies are read as text and parsed
 * strictly by {@link QuotaBodies}, so every malformed or unknown input is a 400 in the envelope naming its field.
 */
@RolesAllowed({ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/quotas")
@Produces(MediaType.APPLICATION_JSON)
public class QuotaResource {

    /** Longest user or key id accepted (ids are Redis key parts and PostgreSQL keys). */
    static final int MAX_ID_LENGTH = 256;

    private final QuotaService quotas;
    private final QuotaBodies bodies;

    public QuotaResource(QuotaService quotas, ObjectMapper mapper) {
        this.quotas = quotas;
        this.bodies = new QuotaBodies(mapper);
    }

    @Operation(summary = "Quota tiers",
                description = "Callers: admin, ops (X-Aigw-Internal-Token).")
    @GET
    @Path("/tiers")
    public Uni<QuotaService.TiersView> tiers() {
        return quotas.tiers();
    }

    @Operation(summary = "One quota tier",
                description = "Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = QuotaService.TierView.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @APIResponse(responseCode = "404", description = "Not found (OpenAI envelope).")
    @GET
    @Path("/tiers/{tier}")
    public Uni<QuotaService.TierView> tier(@RestPath String tier) {
        return quotas.tier(tier);
    }

    @Operation(summary = "Create or replace a quota tier",
                description = "Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = QuotaService.TierView.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @PUT
    @Path("/tiers/{tier}")
    public Uni<QuotaService.TierView> putTier(@RestPath String tier, String body) {
        return quotas.putTier(tier, bodies.limitsBody(body));
    }

    @Operation(summary = "Delete a quota tier",
                description = "Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "204", description = "Done.")
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @APIResponse(responseCode = "404", description = "Not found (OpenAI envelope).")
    @APIResponse(responseCode = "409", description = "The default tier, or a tier assigned to users (OpenAI envelope).")
    @DELETE
    @Path("/tiers/{tier}")
    public Uni<Void> deleteTier(@RestPath String tier) {
        return quotas.deleteTier(tier);
    }

    @Operation(summary = "A user's quota and counters",
                description = "Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = QuotaService.UserView.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @GET
    @Path("/users/{userId}")
    public Uni<QuotaService.UserView> user(@RestPath String userId) {
        return quotas.user(id(userId, "userId"));
    }

    @Operation(summary = "Set a user's quota",
                description = "Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = QuotaService.UserView.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @PUT
    @Path("/users/{userId}")
    public Uni<QuotaService.UserView> putUser(@RestPath String userId, String body) {
        String id = id(userId, "userId");
        QuotaBodies.UserBody user = bodies.userBody(body);
        return quotas.putUser(id, user.tier(), user.limits());
    }

    @Operation(summary = "Reset a user's counters",
                description = "Optional body {\"windows\":[\"day\"]}. Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = QuotaService.UserView.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @POST
    @Path("/users/{userId}/reset")
    public Uni<QuotaService.UserView> resetUser(@RestPath String userId, String body) {
        return quotas.resetUser(id(userId, "userId"), bodies.windowsBody(body));
    }

    @Operation(summary = "A key's quota and counters",
                description = "Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = QuotaService.KeyView.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @GET
    @Path("/keys/{keyId}")
    public Uni<QuotaService.KeyView> key(@RestPath String keyId) {
        return quotas.key(id(keyId, "keyId"));
    }

    @Operation(summary = "Set a key's quota",
                description = "Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = QuotaService.KeyView.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @PUT
    @Path("/keys/{keyId}")
    public Uni<QuotaService.KeyView> putKey(@RestPath String keyId, String body) {
        return quotas.putKey(id(keyId, "keyId"), bodies.limitsBody(body));
    }

    @Operation(summary = "Delete a key's quota",
                description = "Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "204", description = "Done.")
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @APIResponse(responseCode = "404", description = "Not found (OpenAI envelope).")
    @DELETE
    @Path("/keys/{keyId}")
    public Uni<Void> deleteKey(@RestPath String keyId) {
        return quotas.deleteKey(id(keyId, "keyId"));
    }

    @Operation(summary = "Reset a key's counters",
                description = "Optional body {\"windows\":[\"day\"]}. Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = QuotaService.KeyView.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @POST
    @Path("/keys/{keyId}/reset")
    public Uni<QuotaService.KeyView> resetKey(@RestPath String keyId, String body) {
        return quotas.resetKey(id(keyId, "keyId"), bodies.windowsBody(body));
    }

    static String id(String id, String param) {
        if (id == null || id.isBlank() || id.length() > MAX_ID_LENGTH) {
            throw ApiError.badRequest("'" + param + "' must be 1 to " + MAX_ID_LENGTH + " characters.", param)
                    .exception();
        }
        return id;
    }
}
