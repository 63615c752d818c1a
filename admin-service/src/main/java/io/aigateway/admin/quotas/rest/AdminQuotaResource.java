package io.aigateway.admin.quotas.rest;

import io.aigateway.admin.openapi.AdminOpenApi;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigateway.admin.keys.service.Roles;
import io.aigateway.admin.quotas.client.UsageAnswer;
import io.aigateway.admin.quotas.client.UsageClient;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Quota tiers, per-user and per-key overrides, and counter resets: usage-service owns them, this is the admin's
 * door to its internal quota API (admin role required, the admin-api permission and @RolesAllowed). Each route
 * checks its ids and body ({@link QuotaRequests}), relays to the matching {@code /internal/v1/quotas/...} route and
 * answers what usage-service answered ({@link UsageClient}); every change is audited ({@link QuotaAudit}).
 */
@Tag(name = AdminOpenApi.TAG_QUOTAS)
@SecurityRequirement(name = AdminOpenApi.ADMIN_KEY)
@SecurityRequirement(name = AdminOpenApi.OIDC)
@APIResponse(responseCode = "401", ref = AdminOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = AdminOpenApi.FORBIDDEN)
@APIResponse(responseCode = "503", ref = AdminOpenApi.UNAVAILABLE)
@RolesAllowed(Roles.ADMIN)
@Path("/api/v1/ai/admin/quotas")
@Produces(MediaType.APPLICATION_JSON)
public class AdminQuotaResource {

    private final UsageClient usage;
    private final QuotaRequests requests;
    private final QuotaAudit audit;

    public AdminQuotaResource(UsageClient usage, QuotaRequests requests, QuotaAudit audit) {
        this.usage = usage;
        this.requests = requests;
        this.audit = audit;
    }

    @Operation(summary = "List quota tiers",
                description = "usage-service's tiers, relayed.")
    @APIResponse(responseCode = "200", description = "The tiers.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @GET
    @Path("/tiers")
    public Uni<Response> tiers() {
        return respond(usage.tiers());
    }

    @Operation(summary = "Get one quota tier")
    @Parameter(name = "tier", in = ParameterIn.PATH, description = "Tier name.", example = "pro")
    @APIResponse(responseCode = "200", description = "The tier.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "404", ref = AdminOpenApi.NOT_FOUND)
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @GET
    @Path("/tiers/{tier}")
    public Uni<Response> tier(@PathParam("tier") String tier) {
        return respond(usage.tier(requests.id(tier, "tier")));
    }

    @Operation(summary = "Create or replace a quota tier",
                description = "Audited as quota.tier.put.")
    @Parameter(name = "tier", in = ParameterIn.PATH, description = "Tier name.", example = "pro")
    @RequestBody(required = true, description = "The tier's limits.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT), examples = @ExampleObject(name = "example", value = "{\"limits\":{\"requestsPerMinute\":60,\"spendUsdPerDay\":\"5.00\"}}")))
    @APIResponse(responseCode = "200", description = "The tier.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @PUT
    @Path("/tiers/{tier}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> putTier(@PathParam("tier") String tier, String body) {
        String name = requests.id(tier, "tier");
        JsonNode json = requests.requiredObject(body);
        return respond(audit.change("PUT tier " + name, json, usage.putTier(name, body)));
    }

    @Operation(summary = "Delete a quota tier",
                description = "Audited as quota.tier.delete.")
    @Parameter(name = "tier", in = ParameterIn.PATH, description = "Tier name.", example = "pro")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @APIResponse(responseCode = "404", ref = AdminOpenApi.NOT_FOUND)
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @DELETE
    @Path("/tiers/{tier}")
    public Uni<Response> deleteTier(@PathParam("tier") String tier) {
        String name = requests.id(tier, "tier");
        return respond(audit.change("DELETE tier " + name, null, usage.deleteTier(name)));
    }

    @Operation(summary = "Get a user's quota and counters")
    @Parameter(name = "userId", in = ParameterIn.PATH, description = "User id.", example = "alice")
    @APIResponse(responseCode = "200", description = "The user's quota.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @GET
    @Path("/users/{userId}")
    public Uni<Response> user(@PathParam("userId") String userId) {
        return respond(usage.user(requests.id(userId, "userId")));
    }

    @Operation(summary = "Set a user's quota",
                description = "Audited as quota.user.put.")
    @Parameter(name = "userId", in = ParameterIn.PATH, description = "User id.", example = "alice")
    @RequestBody(required = true, description = "The user's tier and/or limits.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT), examples = @ExampleObject(name = "example", value = "{\"limits\":{\"requestsPerMinute\":60,\"spendUsdPerDay\":\"5.00\"}}")))
    @APIResponse(responseCode = "200", description = "The user's quota.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @PUT
    @Path("/users/{userId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> putUser(@PathParam("userId") String userId, String body) {
        String id = requests.id(userId, "userId");
        JsonNode json = requests.requiredObject(body);
        return respond(audit.change("PUT user " + id, json, usage.putUser(id, body)));
    }

    /** The body is optional ({@code {"windows":["day"]}}; none resets every window), so no content type is required. */
    @Operation(summary = "Reset a user's counters",
                description = "Optional body {\"windows\":[\"day\"]}; audited as quota.user.reset.")
    @Parameter(name = "userId", in = ParameterIn.PATH, description = "User id.", example = "alice")
    @RequestBody(required = false, description = "Which windows to reset (optional).",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT), examples = @ExampleObject(name = "example", value = "{\"windows\":[\"day\"]}")))
    @APIResponse(responseCode = "200", description = "The counters after the reset.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @POST
    @Path("/users/{userId}/reset")
    public Uni<Response> resetUser(@PathParam("userId") String userId, String body) {
        String id = requests.id(userId, "userId");
        JsonNode json = requests.optionalObject(body);
        return respond(audit.change("RESET user " + id, json, usage.resetUser(id, json == null ? null : body)));
    }

    @Operation(summary = "Get a key's quota and counters")
    @Parameter(name = "keyId", in = ParameterIn.PATH, description = "Key id.", example = "key_8f2a1c3d")
    @APIResponse(responseCode = "200", description = "The key's quota.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @GET
    @Path("/keys/{keyId}")
    public Uni<Response> key(@PathParam("keyId") String keyId) {
        return respond(usage.key(requests.id(keyId, "keyId")));
    }

    @Operation(summary = "Set a key's quota",
                description = "Audited as quota.key.put.")
    @Parameter(name = "keyId", in = ParameterIn.PATH, description = "Key id.", example = "key_8f2a1c3d")
    @RequestBody(required = true, description = "The key's limits.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT), examples = @ExampleObject(name = "example", value = "{\"limits\":{\"requestsPerMinute\":60,\"spendUsdPerDay\":\"5.00\"}}")))
    @APIResponse(responseCode = "200", description = "The key's quota.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @PUT
    @Path("/keys/{keyId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> putKey(@PathParam("keyId") String keyId, String body) {
        String id = requests.id(keyId, "keyId");
        JsonNode json = requests.requiredObject(body);
        return respond(audit.change("PUT key " + id, json, usage.putKey(id, body)));
    }

    @Operation(summary = "Delete a key's quota",
                description = "Audited as quota.key.delete.")
    @Parameter(name = "keyId", in = ParameterIn.PATH, description = "Key id.", example = "key_8f2a1c3d")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @APIResponse(responseCode = "404", ref = AdminOpenApi.NOT_FOUND)
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @DELETE
    @Path("/keys/{keyId}")
    public Uni<Response> deleteKey(@PathParam("keyId") String keyId) {
        String id = requests.id(keyId, "keyId");
        return respond(audit.change("DELETE key " + id, null, usage.deleteKey(id)));
    }

    /** As {@link #resetUser}: the body is optional. */
    @Operation(summary = "Reset a key's counters",
                description = "Optional body {\"windows\":[\"day\"]}; audited as quota.key.reset.")
    @Parameter(name = "keyId", in = ParameterIn.PATH, description = "Key id.", example = "key_8f2a1c3d")
    @RequestBody(required = false, description = "Which windows to reset (optional).",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT), examples = @ExampleObject(name = "example", value = "{\"windows\":[\"day\"]}")))
    @APIResponse(responseCode = "200", description = "The counters after the reset.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @POST
    @Path("/keys/{keyId}/reset")
    public Uni<Response> resetKey(@PathParam("keyId") String keyId, String body) {
        String id = requests.id(keyId, "keyId");
        JsonNode json = requests.optionalObject(body);
        return respond(audit.change("RESET key " + id, json, usage.resetKey(id, json == null ? null : body)));
    }

    private static Uni<Response> respond(Uni<UsageAnswer> answer) {
        return answer.map(UsageAnswer::toResponse);
    }
}
