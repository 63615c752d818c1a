package io.aigateway.admin.quotas.client;

import io.aigateway.contracts.internal.AigwHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * usage-service's internal quota API; used only through {@link UsageClient}. Answers are read as text, whatever
 * their status ({@code quarkus.rest-client.usage.disable-default-mapper}), so that they can be relayed as they are.
 * Path parameters arrive already encoded by {@link PathSegments} ({@code @Encoded}: not encoded a second time).
 */
@RegisterRestClient(configKey = "usage")
@Path("/internal/v1/quotas")
@Produces(MediaType.APPLICATION_JSON)
interface UsageRestClient {

    @GET
    @Path("/tiers")
    Uni<RestResponse<String>> tiers(@HeaderParam(AigwHeaders.INTERNAL_TOKEN) String token,
                                    @HeaderParam(AigwHeaders.REQUEST_ID) String requestId);

    @GET
    @Path("/tiers/{tier}")
    Uni<RestResponse<String>> tier(@HeaderParam(AigwHeaders.INTERNAL_TOKEN) String token,
                                   @HeaderParam(AigwHeaders.REQUEST_ID) String requestId,
                                   @PathParam("tier") @Encoded String tier);

    @PUT
    @Path("/tiers/{tier}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<String>> putTier(@HeaderParam(AigwHeaders.INTERNAL_TOKEN) String token,
                                      @HeaderParam(AigwHeaders.REQUEST_ID) String requestId,
                                      @PathParam("tier") @Encoded String tier, String body);

    @DELETE
    @Path("/tiers/{tier}")
    Uni<RestResponse<String>> deleteTier(@HeaderParam(AigwHeaders.INTERNAL_TOKEN) String token,
                                         @HeaderParam(AigwHeaders.REQUEST_ID) String requestId,
                                         @PathParam("tier") @Encoded String tier);

    @GET
    @Path("/users/{userId}")
    Uni<RestResponse<String>> user(@HeaderParam(AigwHeaders.INTERNAL_TOKEN) String token,
                                   @HeaderParam(AigwHeaders.REQUEST_ID) String requestId,
                                   @PathParam("userId") @Encoded String userId);

    @PUT
    @Path("/users/{userId}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<String>> putUser(@HeaderParam(AigwHeaders.INTERNAL_TOKEN) String token,
                                      @HeaderParam(AigwHeaders.REQUEST_ID) String requestId,
                                      @PathParam("userId") @Encoded String userId, String body);

    @POST
    @Path("/users/{userId}/reset")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<String>> resetUser(@HeaderParam(AigwHeaders.INTERNAL_TOKEN) String token,
                                        @HeaderParam(AigwHeaders.REQUEST_ID) String requestId,
                                        @PathParam("userId") @Encoded String userId, String body);

    @GET
    @Path("/keys/{keyId}")
    Uni<RestResponse<String>> key(@HeaderParam(AigwHeaders.INTERNAL_TOKEN) String token,
                                  @HeaderParam(AigwHeaders.REQUEST_ID) String requestId,
                                  @PathParam("keyId") @Encoded String keyId);

    @PUT
    @Path("/keys/{keyId}")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<String>> putKey(@HeaderParam(AigwHeaders.INTERNAL_TOKEN) String token,
                                     @HeaderParam(AigwHeaders.REQUEST_ID) String requestId,
                                     @PathParam("keyId") @Encoded String keyId, String body);

    @DELETE
    @Path("/keys/{keyId}")
    Uni<RestResponse<String>> deleteKey(@HeaderParam(AigwHeaders.INTERNAL_TOKEN) String token,
                                        @HeaderParam(AigwHeaders.REQUEST_ID) String requestId,
                                        @PathParam("keyId") @Encoded String keyId);

    @POST
    @Path("/keys/{keyId}/reset")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestResponse<String>> resetKey(@HeaderParam(AigwHeaders.INTERNAL_TOKEN) String token,
                                       @HeaderParam(AigwHeaders.REQUEST_ID) String requestId,
                                       @PathParam("keyId") @Encoded String keyId, String body);
}
