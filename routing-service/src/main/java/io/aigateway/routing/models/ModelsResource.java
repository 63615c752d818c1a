package io.aigateway.routing.models;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.support.security.ServiceRoles;
import jakarta.annotation.security.RolesAllowed;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.error.ApiError;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.aigateway.routing.catalog.Catalog;
import io.aigateway.routing.catalog.CatalogService;
import io.aigateway.routing.config.RoutingConfig;
import io.aigateway.routing.route.ModelResolver;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /internal/v1/models} (relayed by the edge as {@code GET /v1/models}): OpenAI's model list,
 * {@code {"object":"list","data":[{id, object:"model", created, owned_by, aigw:{enabled}}]}}, with the model groups
 * and every {@code <providerId>/<modelId>} of the catalog. {@code aigw.enabled} (a field OpenAI clients ignore) is
 * false for a model that is never routed to: its provider is off (turned off by an admin, or without its API key) or
 * the model itself is; a group is enabled when at least one of its members is. Health and open circuits do not show
 * here (they change by the second).
 */
@RolesAllowed({ServiceRoles.EDGE, ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/models")
public class ModelsResource {

    /** One entry of {@code data}: OpenAI's model object plus {@code aigw}. */
    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy, Aigw aigw) {
        static Model of(String id, long created, String ownedBy, boolean enabled) {
            return new Model(id, "model", created, ownedBy, new Aigw(enabled));
        }
    }

    /** The gateway's own facts about a listed model. */
    public record Aigw(boolean enabled) {
    }

    public record ModelList(String object, List<Model> data) {
    }

    private final CatalogService catalog;
    private final ModelResolver resolver;
    private final RoutingConfig config;

    public ModelsResource(CatalogService catalog, ModelResolver resolver, RoutingConfig config) {
        this.catalog = catalog;
        this.resolver = resolver;
        this.config = config;
    }

    @Operation(summary = "OpenAI model list",
                description = "What the edge serves as GET /v1/models; disabled providers and models listed as disabled. "
                        + "Callers: edge, admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ModelList.class)))
    @APIResponse(responseCode = "503", description = "The provider catalog is not loaded yet (OpenAI envelope, retry-after).")
    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public ModelList list() {
        Catalog c = catalog.current();
        if (c == null) {
            throw ApiError.noCandidate("The provider catalog is not loaded yet.", config.noCandidateRetryAfterSeconds()).exception();
        }
        long created = c.loadedAt().getEpochSecond();
        return of(c, resolver.groups(), created);
    }

    static ModelList of(Catalog c, Map<String, List<ModelResolver.GroupMember>> groups, long created) {
        List<Model> out = new ArrayList<>();
        groups.forEach((name, members) -> {
            boolean enabled = false;
            for (ModelResolver.GroupMember m : members) {
                ProviderInfo p = c.provider(m.providerId());
                ModelInfo mi = p == null ? null : p.model(m.modelId());
                enabled |= p != null && p.enabled() && (mi == null || mi.isEnabled());
            }
            out.add(Model.of(name, created, "aigw", enabled));
        });
        for (ProviderInfo p : c.providers()) {
            for (ModelInfo m : p.models()) {
                out.add(Model.of(p.id() + "/" + m.id(), created, p.id(), p.enabled() && m.isEnabled()));
            }
        }
        return new ModelList("list", List.copyOf(out));
    }
}
