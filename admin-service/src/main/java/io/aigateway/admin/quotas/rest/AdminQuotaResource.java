package io.aigateway.admin.quotas.rest;

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

    @GET
    @Path("/tiers")
    public Uni<Response> tiers() {
        return respond(usage.tiers());
    }

    @GET
    @Path("/tiers/{tier}")
    public Uni<Response> tier(@PathParam("tier") String tier) {
        return respond(usage.tier(requests.id(tier, "tier")));
    }

    @PUT
    @Path("/tiers/{tier}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> putTier(@PathParam("tier") String tier, String body) {
        String name = requests.id(tier, "tier");
        JsonNode json = requests.requiredObject(body);
        return respond(audit.change("PUT tier " + name, json, usage.putTier(name, body)));
    }

    @DELETE
    @Path("/tiers/{tier}")
    public Uni<Response> deleteTier(@PathParam("tier") String tier) {
        String name = requests.id(tier, "tier");
        return respond(audit.change("DELETE tier " + name, null, usage.deleteTier(name)));
    }

    @GET
    @Path("/users/{userId}")
    public Uni<Response> user(@PathParam("userId") String userId) {
        return respond(usage.user(requests.id(userId, "userId")));
    }

    @PUT
    @Path("/users/{userId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> putUser(@PathParam("userId") String userId, String body) {
        String id = requests.id(userId, "userId");
        JsonNode json = requests.requiredObject(body);
        return respond(audit.change("PUT user " + id, json, usage.putUser(id, body)));
    }

    /** The body is optional ({@code {"windows":["day"]}}; none resets every window), so no content type is required. */
    @POST
    @Path("/users/{userId}/reset")
    public Uni<Response> resetUser(@PathParam("userId") String userId, String body) {
        String id = requests.id(userId, "userId");
        JsonNode json = requests.optionalObject(body);
        return respond(audit.change("RESET user " + id, json, usage.resetUser(id, json == null ? null : body)));
    }

    @GET
    @Path("/keys/{keyId}")
    public Uni<Response> key(@PathParam("keyId") String keyId) {
        return respond(usage.key(requests.id(keyId, "keyId")));
    }

    @PUT
    @Path("/keys/{keyId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> putKey(@PathParam("keyId") String keyId, String body) {
        String id = requests.id(keyId, "keyId");
        JsonNode json = requests.requiredObject(body);
        return respond(audit.change("PUT key " + id, json, usage.putKey(id, body)));
    }

    @DELETE
    @Path("/keys/{keyId}")
    public Uni<Response> deleteKey(@PathParam("keyId") String keyId) {
        String id = requests.id(keyId, "keyId");
        return respond(audit.change("DELETE key " + id, null, usage.deleteKey(id)));
    }

    /** As {@link #resetUser}: the body is optional. */
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
