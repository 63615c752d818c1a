package io.aigateway.admin.keys.rest;

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

    @GET
    public Uni<UserKeyViews.Page> list(@PathParam("userId") String userId) {
        checkUserId(userId);
        return keys.list(userId, LIST_LIMIT)
                .map(list -> new UserKeyViews.Page(list.stream().map(UserKeyViews.Listed::of).toList()));
    }

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
