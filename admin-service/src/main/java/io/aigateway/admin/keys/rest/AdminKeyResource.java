package io.aigateway.admin.keys.rest;

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

    @DELETE
    @Path("/{keyId}")
    @ResponseStatus(204)
    public Uni<Void> revoke(@PathParam("keyId") String keyId) {
        Actor actor = Actor.of(identity);
        return keys.revoke(keyId).call(() -> audit.record(new AuditEntry(actor, "key.revoke", "key:" + keyId, null,
                JsonNodeFactory.instance.objectNode().put("revoked", true), 204)));
    }
}
