package io.aigateway.admin.providers.rest;

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
@Tag(name = AdminOpenApi.TAG_PROVIDERS)
@SecurityRequirement(name = AdminOpenApi.ADMIN_KEY)
@SecurityRequirement(name = AdminOpenApi.OIDC)
@APIResponse(responseCode = "401", ref = AdminOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = AdminOpenApi.FORBIDDEN)
@APIResponse(responseCode = "503", ref = AdminOpenApi.UNAVAILABLE)
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

    @Operation(summary = "List providers",
                description = "One entry per provider of adapter-service's effective catalog, with the stored override, "
                        + "the breaker state and today's figures (each null with a note when its service is down). "
                        + "adapter-service down: 503.")
    @APIResponse(responseCode = "200", description = "The providers.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.ARRAY),
                        examples = @ExampleObject(name = "example", value = "[{\"id\":\"fakeb\",\"kind\":\"openai\",\"displayName\":\"Fake B\",\"enabled\":true,\"healthy\":true,\"priority\":0,\"models\":[{\"id\":\"fake-chat\",\"displayName\":\"Fake chat\",\"contextWindow\":8192,\"promptPricePer1k\":0.001,\"completionPricePer1k\":0.002,\"qualityScore\":0.5,\"enabled\":true}],\"settings\":{\"timeouts\":{\"connectMs\":2000,\"firstByteMs\":30000,\"betweenChunksMs\":30000,\"totalMs\":120000},\"poolMaxConnections\":100,\"rateLimitPerMinute\":0},\"override\":null,\"revision\":null,\"published\":null,\"appliedRevision\":null,\"pending\":false,\"breaker\":\"CLOSED\",\"today\":{\"requests\":12,\"errors\":0,\"errorRate\":0.0,\"p95LatencyMs\":840,\"costUsd\":0.0012},\"notes\":[]}]")))
    @GET
    public Uni<List<ObjectNode>> list() {
        return providers.list();
    }

    @Operation(summary = "Get one provider")
    @Parameter(name = "id", in = ParameterIn.PATH, description = "Provider id.", example = "fakeb")
    @APIResponse(responseCode = "200", description = "The provider entry.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"id\":\"fakeb\",\"kind\":\"openai\",\"displayName\":\"Fake B\",\"enabled\":true,\"healthy\":true,\"priority\":0,\"models\":[{\"id\":\"fake-chat\",\"displayName\":\"Fake chat\",\"contextWindow\":8192,\"promptPricePer1k\":0.001,\"completionPricePer1k\":0.002,\"qualityScore\":0.5,\"enabled\":true}],\"settings\":{\"timeouts\":{\"connectMs\":2000,\"firstByteMs\":30000,\"betweenChunksMs\":30000,\"totalMs\":120000},\"poolMaxConnections\":100,\"rateLimitPerMinute\":0},\"override\":null,\"revision\":null,\"published\":null,\"appliedRevision\":null,\"pending\":false,\"breaker\":\"CLOSED\",\"today\":{\"requests\":12,\"errors\":0,\"errorRate\":0.0,\"p95LatencyMs\":840,\"costUsd\":0.0012},\"notes\":[]}")))
    @APIResponse(responseCode = "404", ref = AdminOpenApi.NOT_FOUND)
    @GET
    @Path("/{id}")
    public Uni<ObjectNode> get(@PathParam("id") String id) {
        return providers.get(id);
    }

    @Operation(summary = "Change a provider at run time",
                description = "A JSON merge patch (RFC 7396) over the stored override: enabled, priority, qualityScore, "
                        + "models.<id>.{enabled, promptPricePer1k, completionPricePer1k, contextWindow, "
                        + "qualityScore}, timeouts.{connectMs, firstByteMs, betweenChunksMs, totalMs}, "
                        + "poolMaxConnections, rateLimitPerMinute; null removes a field. Secrets and addresses "
                        + "(apiKey, baseUrl), unknown fields, providers or models outside the catalog and "
                        + "out-of-range values are refused with 400.")
    @Parameter(name = "id", in = ParameterIn.PATH, description = "Provider id.", example = "fakeb")
    @RequestBody(required = true, description = "The merge patch.",
                content = {
                        @Content(mediaType = "application/merge-patch+json", schema = @Schema(type = SchemaType.OBJECT), examples = @ExampleObject(name = "example", value = "{\"enabled\":false,\"models\":{\"fake-chat\":{\"promptPricePer1k\":\"0.0015\"}},\"timeouts\":{\"totalMs\":30000}}")),
                        @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT), examples = @ExampleObject(name = "example", value = "{\"enabled\":false,\"models\":{\"fake-chat\":{\"promptPricePer1k\":\"0.0015\"}},\"timeouts\":{\"totalMs\":30000}}"))})
    @APIResponse(responseCode = "200", description = "The provider entry after the change, published on ai.config.v1.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"id\":\"fakeb\",\"kind\":\"openai\",\"displayName\":\"Fake B\",\"enabled\":true,\"healthy\":true,\"priority\":0,\"models\":[{\"id\":\"fake-chat\",\"displayName\":\"Fake chat\",\"contextWindow\":8192,\"promptPricePer1k\":0.001,\"completionPricePer1k\":0.002,\"qualityScore\":0.5,\"enabled\":true}],\"settings\":{\"timeouts\":{\"connectMs\":2000,\"firstByteMs\":30000,\"betweenChunksMs\":30000,\"totalMs\":120000},\"poolMaxConnections\":100,\"rateLimitPerMinute\":0},\"override\":null,\"revision\":null,\"published\":null,\"appliedRevision\":null,\"pending\":false,\"breaker\":\"CLOSED\",\"today\":{\"requests\":12,\"errors\":0,\"errorRate\":0.0,\"p95LatencyMs\":840,\"costUsd\":0.0012},\"notes\":[]}")))
    @APIResponse(responseCode = "202", description = "Stored but not yet published (Kafka down); republished later.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @PATCH
    @Path("/{id}")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    public Uni<Response> patch(@PathParam("id") String id, String body) {
        var patch = JsonBodies.object(body);
        return providers.patch(id, patch, Actor.of(identity)).map(AdminProviderResource::answer);
    }

    @Operation(summary = "Turn a provider off or on",
                description = "Off when it is on as shown, on otherwise; answered as PATCH.")
    @Parameter(name = "id", in = ParameterIn.PATH, description = "Provider id.", example = "fakeb")
    @APIResponse(responseCode = "200", description = "The provider entry after the change, published on ai.config.v1.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"id\":\"fakeb\",\"kind\":\"openai\",\"displayName\":\"Fake B\",\"enabled\":true,\"healthy\":true,\"priority\":0,\"models\":[{\"id\":\"fake-chat\",\"displayName\":\"Fake chat\",\"contextWindow\":8192,\"promptPricePer1k\":0.001,\"completionPricePer1k\":0.002,\"qualityScore\":0.5,\"enabled\":true}],\"settings\":{\"timeouts\":{\"connectMs\":2000,\"firstByteMs\":30000,\"betweenChunksMs\":30000,\"totalMs\":120000},\"poolMaxConnections\":100,\"rateLimitPerMinute\":0},\"override\":null,\"revision\":null,\"published\":null,\"appliedRevision\":null,\"pending\":false,\"breaker\":\"CLOSED\",\"today\":{\"requests\":12,\"errors\":0,\"errorRate\":0.0,\"p95LatencyMs\":840,\"costUsd\":0.0012},\"notes\":[]}")))
    @APIResponse(responseCode = "202", description = "Stored but not yet published (Kafka down); republished later.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @POST
    @Path("/{id}/toggle")
    public Uni<Response> toggle(@PathParam("id") String id) {
        return providers.toggle(id, Actor.of(identity)).map(AdminProviderResource::answer);
    }

    static Response answer(ProviderService.Changed c) {
        return Response.status(c.published() ? 200 : 202).entity(c.view()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
