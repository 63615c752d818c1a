package io.aigateway.admin.providers.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.admin.audit.service.Actor;
import io.aigateway.admin.common.JsonBodies;
import io.aigateway.admin.keys.service.Roles;
import io.aigateway.admin.providers.service.ProviderService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * Providers at run time (admin role, the admin-api permission and @RolesAllowed): the list and one provider
 * (adapter's effective catalog + health, the stored override, breaker state, today's usage), a JSON merge patch of
 * the override, and a toggle. A change answers the provider's view: 200 when it was published on
 * {@code ai.config.v1}, 202 with {@code "published": false} when it is stored but Kafka did not acknowledge it yet
 * (the republish job sends it).
 */
@RolesAllowed(Roles.ADMIN)
@Path("/api/v1/ai/admin/providers")
@Produces(MediaType.APPLICATION_JSON)
public class AdminProviderResource {

    public static final String MERGE_PATCH = "application/merge-patch+json";

    private final ProviderService providers;
    private final SecurityIdentity identity;

    public AdminProviderResource(ProviderService providers, SecurityIdentity identity) {
        this.providers = providers;
        this.identity = identity;
    }

    @GET
    public Uni<List<ObjectNode>> list() {
        return providers.list();
    }

    @GET
    @Path("/{id}")
    public Uni<ObjectNode> get(@PathParam("id") String id) {
        return providers.get(id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    public Uni<Response> patch(@PathParam("id") String id, String body) {
        var patch = JsonBodies.object(body);
        return providers.patch(id, patch, Actor.of(identity)).map(AdminProviderResource::answer);
    }

    @POST
    @Path("/{id}/toggle")
    public Uni<Response> toggle(@PathParam("id") String id) {
        return providers.toggle(id, Actor.of(identity)).map(AdminProviderResource::answer);
    }

    static Response answer(ProviderService.Changed c) {
        return Response.status(c.published() ? 200 : 202).entity(c.view()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
