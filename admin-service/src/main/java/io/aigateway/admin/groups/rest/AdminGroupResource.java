package io.aigateway.admin.groups.rest;

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
@Tag(name = AdminOpenApi.TAG_GROUPS)
@SecurityRequirement(name = AdminOpenApi.ADMIN_KEY)
@SecurityRequirement(name = AdminOpenApi.OIDC)
@APIResponse(responseCode = "401", ref = AdminOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = AdminOpenApi.FORBIDDEN)
@APIResponse(responseCode = "503", ref = AdminOpenApi.UNAVAILABLE)
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

    @Operation(summary = "List model groups set by admins",
                description = "Routing-service's configured groups are not listed.")
    @APIResponse(responseCode = "200", description = "The groups.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"groups\":[{\"name\":\"chat-default\",\"members\":[\"fakea/fake-chat\",\"fakeb/fake-chat\"],\"revision\":3,\"updatedAt\":\"2026-12-03T10:00:00Z\",\"updatedBy\":\"key_8f2a1c3d\",\"published\":true}]}")))
    @GET
    public Uni<Map<String, Object>> list() {
        return groups.list().map(ModelGroupService::page);
    }

    @Operation(summary = "Get one model group")
    @Parameter(name = "name", in = ParameterIn.PATH, description = "Group name.", example = "chat-default")
    @APIResponse(responseCode = "200", description = "The group.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"name\":\"chat-default\",\"members\":[\"fakea/fake-chat\",\"fakeb/fake-chat\"],\"revision\":3,\"updatedAt\":\"2026-12-03T10:00:00Z\",\"updatedBy\":\"key_8f2a1c3d\",\"published\":true}")))
    @APIResponse(responseCode = "404", ref = AdminOpenApi.NOT_FOUND)
    @GET
    @Path("/{name}")
    public Uni<ObjectNode> get(@PathParam("name") String name) {
        return groups.get(name);
    }

    @Operation(summary = "Create or replace a model group",
                description = "Name [a-z0-9][a-z0-9._-]{0,63}; 1-100 distinct members of adapter-service's catalog as "
                        + "provider/model. Replaces a configured group of the same name.")
    @Parameter(name = "name", in = ParameterIn.PATH, description = "Group name.", example = "chat-default")
    @RequestBody(required = true, description = "The members.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT), examples = @ExampleObject(name = "example", value = "{\"members\":[\"fakea/fake-chat\",\"fakeb/fake-chat\"]}")))
    @APIResponse(responseCode = "200", description = "The group, published.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"name\":\"chat-default\",\"members\":[\"fakea/fake-chat\",\"fakeb/fake-chat\"],\"revision\":3,\"updatedAt\":\"2026-12-03T10:00:00Z\",\"updatedBy\":\"key_8f2a1c3d\",\"published\":true}")))
    @APIResponse(responseCode = "202", description = "Stored but not yet published (Kafka down).",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> put(@PathParam("name") String name, String body) {
        ModelGroupService.checkName(name);
        var json = JsonBodies.object(body);
        return groups.put(name, json, Actor.of(identity)).map(c ->
                Response.status(c.published() ? 200 : 202).entity(c.view()).type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    @Operation(summary = "Delete a model group",
                description = "A configured group of the same name applies again.")
    @Parameter(name = "name", in = ParameterIn.PATH, description = "Group name.", example = "chat-default")
    @APIResponse(responseCode = "204", description = "Deleted; the tombstone is published.")
    @APIResponse(responseCode = "202", description = "Deleted but not yet published (Kafka down).",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"name\":\"chat-default\",\"deleted\":true,\"published\":false}")))
    @APIResponse(responseCode = "404", ref = AdminOpenApi.NOT_FOUND)
    @DELETE
    @Path("/{name}")
    public Uni<Response> delete(@PathParam("name") String name) {
        return groups.delete(name, Actor.of(identity)).map(c -> c.published() ? Response.noContent().build()
                : Response.status(202).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(JsonNodeFactory.instance.objectNode().put("name", name).put("deleted", true).put("published", false))
                .build());
    }
}
