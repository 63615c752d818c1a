package io.aigateway.admin.providers.client;

import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.internal.AigwHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/** adapter-service's internal API; used only through {@link AdapterClient}. */
@RegisterRestClient(configKey = "adapter")
@Path("/internal/v1")
interface AdapterRestClient {

    @GET
    @Path("/providers")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<List<ProviderInfo>> providers(@HeaderParam(AigwHeaders.INTERNAL_TOKEN) String token,
                                      @HeaderParam(AigwHeaders.REQUEST_ID) String requestId);

    /** The same list as JSON, with adapter's per-provider {@code override} and {@code settings}. */
    @GET
    @Path("/providers")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<List<com.fasterxml.jackson.databind.JsonNode>> catalog(@HeaderParam(AigwHeaders.INTERNAL_TOKEN) String token,
                                                               @HeaderParam(AigwHeaders.REQUEST_ID) String requestId);
}
