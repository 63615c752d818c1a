package io.aigateway.admin.keys.rest;

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
import jakarta.annotation.security.RolesAllowed;
import io.aigateway.admin.keys.service.Roles;

import io.aigateway.admin.keys.service.ApiKeyService;
import io.aigateway.admin.keys.service.NewKey;
import io.aigateway.contracts.error.ApiError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.admin.audit.service.Actor;
import io.aigateway.admin.audit.service.AuditEntry;
import io.aigateway.admin.audit.service.AuditLog;
import io.quarkus.security.identity.SecurityIdentity;

import java.time.Instant;

/** Admin key management (admin role required, the admin-api permission and @RolesAllowed). */
@Tag(name = AdminOpenApi.TAG_KEYS)
@SecurityRequirement(name = AdminOpenApi.ADMIN_KEY)
@SecurityRequirement(name = AdminOpenApi.OIDC)
@APIResponse(responseCode = "401", ref = AdminOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = AdminOpenApi.FORBIDDEN)
@APIResponse(responseCode = "503", ref = AdminOpenApi.UNAVAILABLE)
@RolesAllowed(Roles.ADMIN)
@Path("/api/v1/ai/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class AdminKeyResource {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final ApiKeyService keys;
    private final AuditLog audit;
    private final SecurityIdentity identity;

    public AdminKeyResource(ApiKeyService keys, AuditLog audit, SecurityIdentity identity) {
        this.keys = keys;
        this.audit = audit;
        this.identity = identity;
    }

    @Operation(summary = "List API keys",
                description = "Newest first; never the key or its hash.")
    @Parameter(name = "userId", in = ParameterIn.QUERY, description = "Only this user's keys ([A-Za-z0-9._@-]{1,128}).",
                schema = @Schema(type = SchemaType.STRING), example = "alice")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "At most this many (1..1000, default 100).",
                schema = @Schema(type = SchemaType.INTEGER), example = "50")
    @APIResponse(responseCode = "200", description = "The keys.",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = KeyView.Page.class)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @GET
    public Uni<KeyView.Page> list(@QueryParam("userId") String userId, @QueryParam("limit") Integer limit) {
        if (userId != null && !NewKey.USER_ID.matcher(userId).matches()) {
            throw ApiError.badRequest("'userId' must match [A-Za-z0-9._@-]{1,128}.", "userId").exception();
        }
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw ApiError.badRequest("'limit' must be between 1 and " + MAX_LIMIT + ".", "limit").exception();
        }
        Instant now = Instant.now();
        return keys.list(userId, limit == null ? DEFAULT_LIMIT : limit)
                .map(list -> new KeyView.Page(list.stream().map(e -> KeyView.of(e, now)).toList()));
    }

    @Operation(summary = "Create an API key",
                description = "The key is in the answer this once: never stored (only its SHA-256) nor audited.")
    @RequestBody(required = true, description = "The key's owner, roles, optional name and expiry.",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreateKeyRequest.class), examples = @ExampleObject(name = "example", value = "{\"userId\":\"alice\",\"roles\":[\"user\"],\"name\":\"laptop\"}")))
    @APIResponse(responseCode = "201", description = "The new key, with the key itself.",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedKeyResponse.class)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<CreatedKeyResponse> create(CreateKeyRequest body) {
        Actor actor = Actor.of(identity);
        return keys.create(KeyRequests.validate(body)).map(CreatedKeyResponse::of)
                .call(created -> audit.record(new AuditEntry(actor, "key.create", "key:" + created.keyId(), null,
                        withoutSecret(created), 201)));
    }

    /** The new key's description for the audit log: everything but the key itself. */
    private static ObjectNode withoutSecret(CreatedKeyResponse c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("keyId", c.keyId());
        o.put("userId", c.userId());
        o.put("name", c.name());
        ArrayNode roles = o.putArray("roles");
        c.roles().forEach(roles::add);
        o.put("createdAt", c.createdAt() == null ? null : c.createdAt().toString());
        o.put("expiresAt", c.expiresAt() == null ? null : c.expiresAt().toString());
        return o;
    }

    @Operation(summary = "Revoke an API key",
                description = "Idempotent; the edge refuses the key within about a second.")
    @Parameter(name = "keyId", in = ParameterIn.PATH, description = "The key id (key_...).", example = "key_8f2a1c3d")
    @APIResponse(responseCode = "204", description = "Revoked.")
    @APIResponse(responseCode = "404", ref = AdminOpenApi.NOT_FOUND)
    @DELETE
    @Path("/{keyId}")
    @ResponseStatus(204)
    public Uni<Void> revoke(@PathParam("keyId") String keyId) {
        Actor actor = Actor.of(identity);
        return keys.revoke(keyId).call(() -> audit.record(new AuditEntry(actor, "key.revoke", "key:" + keyId, null,
                JsonNodeFactory.instance.objectNode().put("revoked", true), 204)));
    }
}
