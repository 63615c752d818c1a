package io.aigateway.admin.groups.rest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.admin.audit.service.Actor;
import io.aigateway.admin.common.JsonBodies;
import io.aigateway.admin.groups.service.ModelGroupService;
import io.aigateway.admin.keys.service.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * Model groups set by admins (admin role): list, read, put ({@code {"members":["provider/model",…]}}) and delete.
 * A change answers 200 (204 for a delete) once published on {@code ai.config.v1}, 202 with
 * {@code "published": false} when stored but not acknowledged by Kafka yet.
 */
@RolesAllowed(Roles.ADMIN)
@Path("/api/v1/ai/admin/groups")
@Produces(MediaType.APPLICATION_JSON)
public class AdminGroupResource {

    private final ModelGroupService groups;
    private final SecurityIdentity identity;

    public AdminGroupResource(ModelGroupService groups, SecurityIdentity identity) {
        this.groups = groups;
        this.identity = identity;
    }

    @GET
    public Uni<Map<String, Object>> list() {
        return groups.list().map(ModelGroupService::page);
    }

    @GET
    @Path("/{name}")
    public Uni<ObjectNode> get(@PathParam("name") String name) {
        return groups.get(name);
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> put(@PathParam("name") String name, String body) {
        ModelGroupService.checkName(name);
        var json = JsonBodies.object(body);
        return groups.put(name, json, Actor.of(identity)).map(c ->
                Response.status(c.published() ? 200 : 202).entity(c.view()).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @DELETE
    @Path("/{name}")
    public Uni<Response> delete(@PathParam("name") String name) {
        return groups.delete(name, Actor.of(identity)).map(c -> c.published() ? Response.noContent().build()
                : Response.status(202).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(JsonNodeFactory.instance.objectNode().put("name", name).put("deleted", true).put("published", false))
                .build());
    }
}
