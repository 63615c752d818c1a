package io.aigateway.admin.keys.rest;

import io.aigateway.admin.openapi.AdminOpenApi;
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
@Tag(name = AdminOpenApi.TAG_INTERNAL)
@SecurityRequirement(name = AdminOpenApi.SERVICE_TOKEN)
@APIResponse(responseCode = "401", ref = AdminOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = AdminOpenApi.FORBIDDEN)
@Path("/internal/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
public class InternalKeyResource {

    private final ApiKeyService keys;

    public InternalKeyResource(ApiKeyService keys) {
        this.keys = keys;
    }

    @Operation(summary = "Create an API key (operator bootstrap)",
                description = "Caller: ops. Same body and answer as the admin route.")
    @RequestBody(required = true, description = "The key's owner, roles, optional name and expiry.",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreateKeyRequest.class), examples = @ExampleObject(name = "example", value = "{\"userId\":\"admin\",\"roles\":[\"admin\"]}")))
    @APIResponse(responseCode = "201", description = "The new key, with the key itself.",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedKeyResponse.class)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @POST
    @RolesAllowed(ServiceRoles.OPS)
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<CreatedKeyResponse> create(CreateKeyRequest body) {
        return keys.create(KeyRequests.validate(body)).map(CreatedKeyResponse::of);
    }

    @Operation(summary = "Look up a key by its SHA-256",
                description = "Caller: edge or ops. The edge's fallback when its cache and Redis miss.")
    @Parameter(name = "hash", in = ParameterIn.PATH, description = "Hex SHA-256 of the key.")
    @APIResponse(responseCode = "200", description = "The key record (hash, user, roles, expiry, revocation).",
                content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiKeyRecord.class)))
    @APIResponse(responseCode = "404", ref = AdminOpenApi.NOT_FOUND)
    @GET
    @RolesAllowed({ServiceRoles.EDGE, ServiceRoles.OPS})
    @Path("/{hash}")
    public Uni<ApiKeyRecord> lookup(@PathParam("hash") String hash) {
        return keys.findLive(hash.toLowerCase(Locale.ROOT))
                .onItem().ifNull().failWith(() -> ApiError.notFound("Unknown, revoked or expired API key.").exception());
    }
}
