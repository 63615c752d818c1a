package io.aigateway.routing.models;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.routing.breaker.ProviderBreakers;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code GET /internal/v1/models/catalog}: every {@code provider/model} of the catalog with what the edge's public
 * model catalog ({@code GET /api/v1/ai/models}) shows, plus the model groups and their members.
 * <p>
 * {@code availability}:
 * <ul>
 *   <li>{@code health}: {@code healthy}/{@code unhealthy} as adapter-service last probed the provider;
 *       {@code unknown} for a disabled provider (adapter-service reports a disabled provider as not healthy
 *       without telling whether its probe passed).</li>
 *   <li>{@code breaker}: the provider's circuit breaker, {@code CLOSED} while it has never been called.</li>
 *   <li>{@code status}: {@code unavailable} when the provider or the model is disabled, the provider is unhealthy
 *       or its breaker is {@code OPEN} (never routed to); {@code degraded} when the breaker is {@code HALF_OPEN}
 *       (a trial call decides whether it closes again); else {@code available}.</li>
 * </ul>
 * Prices are decimal strings in USD per 1K tokens, null when the catalog does not know them.
 */
@RolesAllowed({ServiceRoles.EDGE, ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/models/catalog")
public class ModelCatalogResource {

    public static final String AVAILABLE = "available";
    public static final String DEGRADED = "degraded";
    public static final String UNAVAILABLE = "unavailable";

    public record Capabilities(boolean streaming, boolean tools, boolean json, boolean vision) {
    }

    public record Pricing(String promptPer1k, String completionPer1k, String currency) {
    }

    public record Availability(String status, String health, String breaker) {
    }

    public record Entry(String id, String provider, String model, String displayName, int contextWindow,
                        Capabilities capabilities, Pricing pricing, boolean enabled, int priority, double qualityScore,
                        Availability availability) {
    }

    public record Group(String name, List<String> members) {
    }

    public record ModelCatalog(List<Entry> models, List<Group> groups) {
    }

    private final CatalogService catalog;
    private final ModelResolver resolver;
    private final ProviderBreakers breakers;
    private final RoutingConfig config;

    public ModelCatalogResource(CatalogService catalog, ModelResolver resolver, ProviderBreakers breakers, RoutingConfig config) {
        this.catalog = catalog;
        this.resolver = resolver;
        this.breakers = breakers;
        this.config = config;
    }

    @Operation(summary = "Model catalog",
                description = "Every provider/model with capabilities, prices and availability, plus the groups. Callers: "
                        + "edge, admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ModelCatalog.class)))
    @APIResponse(responseCode = "503", description = "The provider catalog is not loaded yet (OpenAI envelope, retry-after).")
    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public ModelCatalog catalog() {
        Catalog c = catalog.current();
        if (c == null) {
            throw ApiError.noCandidate("The provider catalog is not loaded yet.", config.noCandidateRetryAfterSeconds()).exception();
        }
        return of(c, resolver.groups(), breakers::state);
    }

    /**
     * @param breakerState a provider's breaker state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}), or null when
     *                     it has none yet
     */
    static ModelCatalog of(Catalog c, Map<String, List<ModelResolver.GroupMember>> groups, Function<String, String> breakerState) {
        List<Entry> models = new ArrayList<>();
        for (ProviderInfo p : c.providers()) {
            String state = breakerState.apply(p.id());
            String breaker = state == null ? "CLOSED" : state;
            String health = !p.enabled() ? "unknown" : p.healthy() ? "healthy" : "unhealthy";
            for (ModelInfo m : p.models()) {
                boolean enabled = p.enabled() && m.isEnabled();
                ModelInfo.Capabilities caps = m.capabilities();
                models.add(new Entry(p.id() + "/" + m.id(), p.id(), m.id(),
                        m.displayName() == null || m.displayName().isBlank() ? m.id() : m.displayName(),
                        m.contextWindow(),
                        caps == null ? new Capabilities(false, false, false, false)
                                : new Capabilities(caps.streaming(), caps.tools(), caps.json(), caps.images()),
                        new Pricing(money(m.promptPricePer1k()), money(m.completionPricePer1k()), "USD"),
                        enabled, p.priority(), m.qualityScore(),
                        new Availability(status(enabled, p.healthy(), breaker), health, breaker)));
            }
        }
        List<Group> out = new ArrayList<>();
        groups.forEach((name, members) -> out.add(new Group(name,
                members.stream().map(g -> g.providerId() + "/" + g.modelId()).toList())));
        return new ModelCatalog(List.copyOf(models), List.copyOf(out));
    }

    static String status(boolean enabled, boolean healthy, String breaker) {
        if (!enabled || !healthy || "OPEN".equals(breaker)) {
            return UNAVAILABLE;
        }
        return "HALF_OPEN".equals(breaker) ? DEGRADED : AVAILABLE;
    }

    private static String money(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros().toPlainString();
    }
}
