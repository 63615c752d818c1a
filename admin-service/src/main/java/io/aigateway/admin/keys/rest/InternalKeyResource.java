package io.aigateway.admin.keys.rest;

import io.aigateway.support.security.ServiceRoles;
import jakarta.annotation.security.RolesAllowed;

import io.aigateway.admin.keys.service.ApiKeyService;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.ApiKeyRecord;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.Locale;

/**
 * Service-to-service key API: bootstrap creation by the operator's credential (launcher, end-to-end tests) and the
 * edge's lookup on a Redis miss — each only for that caller.
 */
@Path("/internal/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
public class InternalKeyResource {

    private final ApiKeyService keys;

    public InternalKeyResource(ApiKeyService keys) {
        this.keys = keys;
    }

    @POST
    @RolesAllowed(ServiceRoles.OPS)
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<CreatedKeyResponse> create(CreateKeyRequest body) {
        return keys.create(KeyRequests.validate(body)).map(CreatedKeyResponse::of);
    }

    @GET
    @RolesAllowed({ServiceRoles.EDGE, ServiceRoles.OPS})
    @Path("/{hash}")
    public Uni<ApiKeyRecord> lookup(@PathParam("hash") String hash) {
        return keys.findLive(hash.toLowerCase(Locale.ROOT))
                .onItem().ifNull().failWith(() -> ApiError.notFound("Unknown, revoked or expired API key.").exception());
    }
}
