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

import java.time.Instant;

/** Admin key management (admin role required, the admin-api permission and @RolesAllowed). */
@RolesAllowed(Roles.ADMIN)
@Path("/api/v1/ai/admin/keys")
@Produces(MediaType.APPLICATION_JSON)
public class AdminKeyResource {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final ApiKeyService keys;

    public AdminKeyResource(ApiKeyService keys) {
        this.keys = keys;
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
        return keys.create(KeyRequests.validate(body)).map(CreatedKeyResponse::of);
    }

    @DELETE
    @Path("/{keyId}")
    @ResponseStatus(204)
    public Uni<Void> revoke(@PathParam("keyId") String keyId) {
        return keys.revoke(keyId);
    }
}
