package io.aigateway.routing.breaker;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.support.security.ServiceRoles;
import jakarta.annotation.security.RolesAllowed;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.routing.catalog.Catalog;
import io.aigateway.routing.catalog.CatalogService;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /internal/v1/breakers}: {@code {"breakers":[{"provider","state"}]}} for every catalog provider
 * (CLOSED when never called) and any other provider called so far; {@code POST /internal/v1/breakers/{provider}/reset}
 * closes one (404 for a provider that is neither in the catalog nor has a breaker).
 */
@RolesAllowed({ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/breakers")
@Produces(MediaType.APPLICATION_JSON)
public class BreakerResource {

    public record BreakerState(String provider, String state) {
    }

    public record BreakerList(List<BreakerState> breakers) {
    }

    private final ProviderBreakers breakers;
    private final CatalogService catalog;

    public BreakerResource(ProviderBreakers breakers, CatalogService catalog) {
        this.breakers = breakers;
        this.catalog = catalog;
    }

    @Operation(summary = "Circuit breaker states",
                description = "One entry per provider. Callers: admin, ops (X-Aigw-Internal-Token).")
    @GET
    @NonBlocking
    public BreakerList list() {
        Map<String, String> states = new java.util.TreeMap<>(breakers.states());
        Catalog c = catalog.current();
        if (c != null) {
            c.providers().forEach(p -> states.putIfAbsent(p.id(), "CLOSED"));
        }
        List<BreakerState> out = new ArrayList<>(states.size());
        states.forEach((p, s) -> out.add(new BreakerState(p, s)));
        return new BreakerList(out);
    }

    @Operation(summary = "Close a provider's breaker on this instance",
                description = "Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = BreakerState.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @APIResponse(responseCode = "404", description = "Not found (OpenAI envelope).")
    @POST
    @Path("/{provider}/reset")
    @NonBlocking
    public BreakerState reset(@PathParam("provider") String provider) {
        Catalog c = catalog.current();
        if (breakers.state(provider) == null && (c == null || c.provider(provider) == null)) {
            throw ApiError.notFound("No provider '" + provider + "'.").exception();
        }
        breakers.reset(provider);
        return new BreakerState(provider, breakers.state(provider));
    }
}
