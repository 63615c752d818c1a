package io.aigateway.admin.routing.rest;

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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.admin.audit.service.Actor;
import io.aigateway.admin.audit.service.AuditEntry;
import io.aigateway.admin.audit.service.AuditLog;
import io.aigateway.admin.common.JsonBodies;
import io.aigateway.admin.common.client.RelayAnswer;
import io.aigateway.admin.config.publish.ConfigPublisher;
import io.aigateway.admin.keys.service.Roles;
import io.aigateway.admin.routing.client.RoutingClient;
import io.aigateway.contracts.config.BreakerReset;
import io.aigateway.contracts.config.ConfigKeys;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The response cache and the circuit breakers for admins (admin role), relayed to routing-service's internal API:
 * cache statistics, invalidation (body passed through: {@code key}, {@code model}, {@code provider}, {@code prefix},
 * {@code all}; routing checks it), warming, breaker states, and a breaker reset, which also publishes a {@link BreakerReset} on
 * {@code ai.config.v1} so that every routing instance closes that breaker, not only the one reached. Every change
 * is audited with the status it got.
 */
@Tag(name = AdminOpenApi.TAG_CACHE)
@SecurityRequirement(name = AdminOpenApi.ADMIN_KEY)
@SecurityRequirement(name = AdminOpenApi.OIDC)
@APIResponse(responseCode = "401", ref = AdminOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = AdminOpenApi.FORBIDDEN)
@APIResponse(responseCode = "503", ref = AdminOpenApi.UNAVAILABLE)
@RolesAllowed(Roles.ADMIN)
@Path("/api/v1/ai/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminCacheBreakerResource {

    private static final Pattern PROVIDER = Pattern.compile("[a-z][a-z0-9]{0,63}");

    private final RoutingClient routing;
    private final ConfigPublisher publisher;
    private final AuditLog audit;
    private final SecurityIdentity identity;
    private final ObjectMapper mapper;

    public AdminCacheBreakerResource(RoutingClient routing, ConfigPublisher publisher, AuditLog audit,
                                     SecurityIdentity identity, ObjectMapper mapper) {
        this.routing = routing;
        this.publisher = publisher;
        this.audit = audit;
        this.identity = identity;
        this.mapper = mapper;
    }

    @Operation(summary = "Cache statistics",
                description = "routing-service's statistics, relayed.")
    @APIResponse(responseCode = "200", description = "Statistics.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"enabled\":true,\"scope\":\"shared\",\"redis\":\"up\",\"instance\":{\"hitRate\":0.25},\"shared\":{\"hitRate\":0.3},\"memory\":{}}")))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @GET
    @Path("/cache/stats")
    public Uni<Response> cacheStats() {
        return routing.cacheStats().map(RelayAnswer::toResponse);
    }

    @Operation(summary = "Invalidate cache entries",
                description = "Exactly one of key (64 hex), model, provider, prefix (1 to 64 lowercase hex: every key "
                        + "that starts with it) or all:true; routing-service checks the body.")
    @RequestBody(required = true, description = "What to invalidate.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT), examples = {
                        @ExampleObject(name = "model", value = "{\"model\":\"fake-chat\"}"),
                        @ExampleObject(name = "prefix", value = "{\"prefix\":\"3fa2\"}")}))
    @APIResponse(responseCode = "200", description = "What was removed.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT), examples = {
                        @ExampleObject(name = "model", value = "{\"by\":\"model\",\"value\":\"fake-chat\",\"removed\":3}"),
                        @ExampleObject(name = "prefix", value = "{\"by\":\"prefix\",\"value\":\"3fa2\",\"removed\":2}")}))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @POST
    @Path("/cache/invalidate")
    public Uni<Response> invalidate(String body) {
        JsonNode json = JsonBodies.object(body);
        return audited("cache.invalidate", "cache", json, routing.invalidate(body));
    }

    @Operation(summary = "Warm the cache",
                description = "The optional body is passed to routing-service.")
    @RequestBody(required = false, description = "Warm-up options (optional).",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT), examples = @ExampleObject(name = "example", value = "{}")))
    @APIResponse(responseCode = "200", description = "routing-service's warm report.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @POST
    @Path("/cache/warm")
    public Uni<Response> warm(String body) {
        JsonNode json = JsonBodies.optionalObject(body);
        return audited("cache.warm", "cache", json, routing.warm(json == null ? "{}" : body));
    }

    @Operation(summary = "Circuit breaker states")
    @APIResponse(responseCode = "200", description = "One entry per provider.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"breakers\":[{\"provider\":\"fakeb\",\"state\":\"CLOSED\"}]}")))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @GET
    @Path("/breakers")
    public Uni<Response> breakers() {
        return routing.breakers().map(RelayAnswer::toResponse);
    }

    /**
     * Closes the provider's breaker on the routing instance reached (its answer is the body) and publishes the
     * reset for every instance; {@code "published"} says whether Kafka acknowledged it. Routing down: the reset is
     * still published (200 with {@code "routing": null}); Kafka down as well: 503.
     */
    @Operation(summary = "Reset a provider's circuit breaker",
                description = "Closes it on the routing instance reached and publishes a BreakerReset so that every "
                        + "instance closes it. Routing down: still published (routing null); Kafka down as well: 503.")
    @Parameter(name = "provider", in = ParameterIn.PATH, description = "Provider id ([a-z][a-z0-9]*).", example = "fakeb")
    @APIResponse(responseCode = "200", description = "The reset.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"provider\":\"fakeb\",\"routing\":{\"provider\":\"fakeb\",\"state\":\"CLOSED\"},\"published\":true,\"requestedAt\":\"2026-12-03T10:00:00Z\"}")))
    @APIResponse(responseCode = "404", ref = AdminOpenApi.NOT_FOUND)
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @POST
    @Path("/breakers/{provider}/reset")
    public Uni<Response> resetBreaker(@PathParam("provider") String provider) {
        if (!PROVIDER.matcher(provider).matches()) {
            throw ApiError.badRequest("A provider id must match [a-z][a-z0-9]*.", "provider").exception();
        }
        Actor actor = Actor.of(identity);
        BreakerReset reset = new BreakerReset(provider, Instant.now(), actor.id());
        Uni<RelayAnswer> reached = routing.resetBreaker(provider);
        return reached.map(a -> (Object) a).onFailure(ApiException.class).recoverWithItem(t -> t)
                .flatMap(result -> {
                    RelayAnswer a = result instanceof RelayAnswer r ? r : null;
                    if (a != null && !a.ok()) {
                        // routing's own refusal (404 unknown provider): relayed, nothing published
                        return record("breaker.reset", "provider:" + provider, null, a.status(), actor)
                                .replaceWith(a.toResponse());
                    }
                    return publisher.send(ConfigKeys.breakerReset(provider), reset).flatMap(published -> {
                        if (a == null && !published) {
                            ApiException e = (ApiException) result;
                            return record("breaker.reset", "provider:" + provider, null, e.error().status(), actor)
                                    .replaceWith(() -> { throw e; });
                        }
                        ObjectNode out = JsonNodeFactory.instance.objectNode();
                        out.put("provider", provider);
                        out.set("routing", a == null ? JsonNodeFactory.instance.nullNode() : a.json(mapper));
                        out.put("published", published);
                        out.put("requestedAt", reset.requestedAt().toString());
                        return record("breaker.reset", "provider:" + provider, out, 200, actor)
                                .replaceWith(Response.ok(out).build());
                    });
                });
    }

    private Uni<Response> audited(String action, String target, JsonNode request, Uni<RelayAnswer> call) {
        Actor actor = Actor.of(identity);
        return call.onItemOrFailure().call((a, t) -> record(action, target, request,
                        a != null ? a.status() : t instanceof ApiException e ? e.error().status() : 500, actor))
                .map(RelayAnswer::toResponse);
    }

    private Uni<Void> record(String action, String target, JsonNode after, int status, Actor actor) {
        return audit.record(new AuditEntry(actor, action, target, null, after, status));
    }
}
