package io.aigateway.admin.keys.rest;

import io.aigateway.admin.openapi.AdminOpenApi;
import io.aigateway.support.openapi.ErrorEnvelopeDoc;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
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
import io.aigateway.admin.audit.service.AuditEntry;
import io.aigateway.admin.audit.service.AuditLog;
import io.aigateway.admin.keys.service.ApiKeyService;
import io.aigateway.admin.keys.service.KeysConfig;
import io.aigateway.admin.keys.service.NewKey;
import io.aigateway.admin.keys.service.Roles;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.support.security.ServiceRoles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.time.Instant;
import java.util.List;

/**
 * Self-service keys, for the edge only ({@code /api/v1/ai/keys} there acts on the caller's own user id): list,
 * create (role {@code user} only, at most {@code aigw.keys.max-per-user} live keys) and revoke the keys of one
 * user. Same store, hashing, Redis mirror and revocation message as the admin routes; every change is in the
 * audit log with the user as the actor.
 */
@Tag(name = AdminOpenApi.TAG_INTERNAL)
@SecurityRequirement(name = AdminOpenApi.SERVICE_TOKEN)
@APIResponse(responseCode = "401", ref = AdminOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = AdminOpenApi.FORBIDDEN)
@RolesAllowed(ServiceRoles.EDGE)
@Path("/internal/v1/users/{userId}/keys")
@Produces(MediaType.APPLICATION_JSON)
public class UserKeyResource {

    /** Newest first; revoked and expired keys are listed too (with their dates), up to this many. */
    static final int LIST_LIMIT = 1000;
    static final int MAX_NAME = 64;

    private final ApiKeyService keys;
    private final AuditLog audit;
    private final int maxPerUser;

    public UserKeyResource(ApiKeyService keys, AuditLog audit, KeysConfig config) {
        this.keys = keys;
        this.audit = audit;
        this.maxPerUser = config.maxPerUser();
    }

    @Operation(summary = "List a user's own keys",
                description = "Caller: edge (GET /api/v1/ai/keys). Revoked and expired keys included; never a key or "
                        + "hash.")
    @Parameter(name = "userId", in = ParameterIn.PATH, description = "The user id the edge authenticated.", example = "alice")
    @APIResponse(responseCode = "200", description = "The user's keys, newest first.",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = UserKeyViews.Page.class)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @GET
    public Uni<UserKeyViews.Page> list(@PathParam("userId") String userId) {
        checkUserId(userId);
        return keys.list(userId, LIST_LIMIT)
                .map(list -> new UserKeyViews.Page(list.stream().map(UserKeyViews.Listed::of).toList()));
    }

    @Operation(summary = "Create a key for the user",
                description = "Caller: edge. Role user only, whatever the body says; more than aigw.keys.max-per-user "
                        + "live keys: 409 too_many_keys.")
    @RequestBody(required = true, description = "Name (1-64 characters, no control characters) and optional future expiresAt.",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = UserKeyRequest.class), examples = @ExampleObject(name = "example", value = "{\"name\":\"laptop\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}")))
    @APIResponse(responseCode = "201", description = "The new key, with the key itself (shown this once).",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = UserKeyViews.Created.class)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "409", description = "Too many live keys (too_many_keys).",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorEnvelopeDoc.class)))
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<UserKeyViews.Created> create(@PathParam("userId") String userId, UserKeyRequest body) {
        NewKey request = validate(userId, body, Instant.now());
        Actor actor = Actor.user(userId);
        return keys.createLimited(request, maxPerUser).map(UserKeyViews.Created::of)
                .call(created -> audit.record(new AuditEntry(actor, "key.create", "key:" + created.keyId(), null,
                        withoutSecret(userId, created), 201)));
    }

    @Operation(summary = "Revoke one of the user's keys",
                description = "Caller: edge. Idempotent; 404 when the key is not that user's.")
    @Parameter(name = "userId", in = ParameterIn.PATH, description = "The user id the edge authenticated.", example = "alice")
    @Parameter(name = "keyId", in = ParameterIn.PATH, description = "The key id.", example = "key_8f2a1c3d")
    @APIResponse(responseCode = "204", description = "Revoked.")
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = AdminOpenApi.NOT_FOUND)
    @DELETE
    @Path("/{keyId}")
    @ResponseStatus(204)
    public Uni<Void> revoke(@PathParam("userId") String userId, @PathParam("keyId") String keyId) {
        checkUserId(userId);
        Actor actor = Actor.user(userId);
        return keys.revoke(keyId, userId).call(() -> audit.record(new AuditEntry(actor, "key.revoke", "key:" + keyId,
                null, JsonNodeFactory.instance.objectNode().put("revoked", true).put("selfService", true), 204)));
    }

    static NewKey validate(String userId, UserKeyRequest body, Instant now) {
        checkUserId(userId);
        if (body == null) {
            throw ApiError.badRequest("A JSON body {name, expiresAt?} is required.", null).exception();
        }
        String name = body.name() == null ? "" : body.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest("'name' is required: 1 to " + MAX_NAME + " characters, no control characters.",
                    "name").exception();
        }
        if (body.expiresAt() != null && !body.expiresAt().isAfter(now)) {
            throw ApiError.badRequest("'expiresAt' must be in the future.", "expiresAt").exception();
        }
        return NewKey.validate(userId, List.of(Roles.USER), name, body.expiresAt(), now);
    }

    private static void checkUserId(String userId) {
        if (userId == null || !NewKey.USER_ID.matcher(userId).matches()) {
            throw ApiError.badRequest("'userId' must match [A-Za-z0-9._@-]{1,128}.", "userId").exception();
        }
    }

    /** The new key's description for the audit log: everything but the key itself. */
    private static ObjectNode withoutSecret(String userId, UserKeyViews.Created c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("keyId", c.keyId());
        o.put("userId", userId);
        o.put("name", c.name());
        o.putArray("roles").add(Roles.USER);
        o.put("createdAt", c.createdAt() == null ? null : c.createdAt().toString());
        o.put("expiresAt", c.expiresAt() == null ? null : c.expiresAt().toString());
        o.put("selfService", true);
        return o;
    }
}
