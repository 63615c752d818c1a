package io.aigateway.usage.quota.rest;

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

    @GET
    @Path("/tiers")
    public Uni<QuotaService.TiersView> tiers() {
        return quotas.tiers();
    }

    @GET
    @Path("/tiers/{tier}")
    public Uni<QuotaService.TierView> tier(@RestPath String tier) {
        return quotas.tier(tier);
    }

    @PUT
    @Path("/tiers/{tier}")
    public Uni<QuotaService.TierView> putTier(@RestPath String tier, String body) {
        return quotas.putTier(tier, bodies.limitsBody(body));
    }

    @DELETE
    @Path("/tiers/{tier}")
    public Uni<Void> deleteTier(@RestPath String tier) {
        return quotas.deleteTier(tier);
    }

    @GET
    @Path("/users/{userId}")
    public Uni<QuotaService.UserView> user(@RestPath String userId) {
        return quotas.user(id(userId, "userId"));
    }

    @PUT
    @Path("/users/{userId}")
    public Uni<QuotaService.UserView> putUser(@RestPath String userId, String body) {
        String id = id(userId, "userId");
        QuotaBodies.UserBody user = bodies.userBody(body);
        return quotas.putUser(id, user.tier(), user.limits());
    }

    @POST
    @Path("/users/{userId}/reset")
    public Uni<QuotaService.UserView> resetUser(@RestPath String userId, String body) {
        return quotas.resetUser(id(userId, "userId"), bodies.windowsBody(body));
    }

    @GET
    @Path("/keys/{keyId}")
    public Uni<QuotaService.KeyView> key(@RestPath String keyId) {
        return quotas.key(id(keyId, "keyId"));
    }

    @PUT
    @Path("/keys/{keyId}")
    public Uni<QuotaService.KeyView> putKey(@RestPath String keyId, String body) {
        return quotas.putKey(id(keyId, "keyId"), bodies.limitsBody(body));
    }

    @DELETE
    @Path("/keys/{keyId}")
    public Uni<Void> deleteKey(@RestPath String keyId) {
        return quotas.deleteKey(id(keyId, "keyId"));
    }

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
