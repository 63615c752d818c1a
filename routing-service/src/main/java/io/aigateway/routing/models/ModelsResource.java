package io.aigateway.routing.models;

import io.aigateway.support.security.ServiceRoles;
import jakarta.annotation.security.RolesAllowed;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.openai.ModelList;
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

/** {@code GET /internal/v1/models}: the model groups and every {@code <providerId>/<modelId>} of enabled providers. */
@RolesAllowed({ServiceRoles.EDGE, ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/models")
public class ModelsResource {

    private final CatalogService catalog;
    private final ModelResolver resolver;
    private final RoutingConfig config;

    public ModelsResource(CatalogService catalog, ModelResolver resolver, RoutingConfig config) {
        this.catalog = catalog;
        this.resolver = resolver;
        this.config = config;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public ModelList list() {
        Catalog c = catalog.current();
        if (c == null) {
            throw ApiError.noCandidate("The provider catalog is not loaded yet.", config.noCandidateRetryAfterSeconds()).exception();
        }
        long created = c.loadedAt().getEpochSecond();
        List<ModelList.Model> out = new ArrayList<>();
        for (String group : resolver.groups().keySet()) {
            out.add(ModelList.Model.of(group, created, "aigw"));
        }
        for (ProviderInfo p : c.providers()) {
            if (!p.enabled()) {
                continue;
            }
            for (ModelInfo m : p.models()) {
                out.add(ModelList.Model.of(p.id() + "/" + m.id(), created, p.id()));
            }
        }
        return ModelList.of(out);
    }
}
