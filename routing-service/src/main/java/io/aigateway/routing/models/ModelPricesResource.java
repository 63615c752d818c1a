package io.aigateway.routing.models;

import org.eclipse.microprofile.openapi.annotations.Operation;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.routing.catalog.Catalog;
import io.aigateway.routing.catalog.CatalogService;
import io.aigateway.routing.config.RoutingConfig;
import io.aigateway.routing.route.ModelResolver;
import io.aigateway.support.security.ServiceRoles;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /internal/v1/models/prices}: for every model name a request may use (group, {@code provider/model},
 * bare model id) the highest prompt and completion price per 1K tokens among the candidates it can resolve to,
 * enabled or not, and the highest of all as {@code fallback}. The edge reserves a request's quota at these prices
 * before routing has chosen, so the reservation is never below what the request can cost.
 */
@RolesAllowed({ServiceRoles.EDGE, ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/models/prices")
public class ModelPricesResource {

    public record Price(String promptPer1k, String completionPer1k) {
    }

    public record Prices(Price fallback, Map<String, Price> models) {
    }

    private final CatalogService catalog;
    private final ModelResolver resolver;
    private final RoutingConfig config;

    public ModelPricesResource(CatalogService catalog, ModelResolver resolver, RoutingConfig config) {
        this.catalog = catalog;
        this.resolver = resolver;
        this.config = config;
    }

    @Operation(summary = "Model prices",
                description = "Prices per 1K tokens the edge reserves quota with. Callers: edge, admin, ops "
                        + "(X-Aigw-Internal-Token).")
    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public Prices prices() {
        Catalog c = catalog.current();
        if (c == null) {
            throw ApiError.noCandidate("The provider catalog is not loaded yet.", config.noCandidateRetryAfterSeconds()).exception();
        }
        return of(c, resolver.groups());
    }

    static Prices of(Catalog c, Map<String, List<ModelResolver.GroupMember>> groups) {
        Map<String, BigDecimal[]> max = new TreeMap<>();
        BigDecimal[] all = {BigDecimal.ZERO, BigDecimal.ZERO};
        for (ProviderInfo p : c.providers()) {
            for (ModelInfo m : p.models()) {
                raise(max.computeIfAbsent(p.id() + "/" + m.id(), k -> zero()), m);
                raise(max.computeIfAbsent(m.id(), k -> zero()), m);
                raise(all, m);
            }
        }
        for (Map.Entry<String, List<ModelResolver.GroupMember>> g : groups.entrySet()) {
            BigDecimal[] price = zero();
            for (ModelResolver.GroupMember member : g.getValue()) {
                ProviderInfo p = c.provider(member.providerId());
                ModelInfo m = p == null ? null : p.model(member.modelId());
                if (m != null) {
                    raise(price, m);
                }
            }
            max.put(g.getKey(), price);
        }
        Map<String, Price> out = new TreeMap<>();
        max.forEach((name, p) -> out.put(name, price(p)));
        return new Prices(price(all), out);
    }

    private static BigDecimal[] zero() {
        return new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO};
    }

    private static void raise(BigDecimal[] p, ModelInfo m) {
        if (m.promptPricePer1k() != null && m.promptPricePer1k().compareTo(p[0]) > 0) {
            p[0] = m.promptPricePer1k();
        }
        if (m.completionPricePer1k() != null && m.completionPricePer1k().compareTo(p[1]) > 0) {
            p[1] = m.completionPricePer1k();
        }
    }

    private static Price price(BigDecimal[] p) {
        return new Price(p[0].toPlainString(), p[1].toPlainString());
    }
}
