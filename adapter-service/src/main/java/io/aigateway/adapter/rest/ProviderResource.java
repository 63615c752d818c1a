package io.aigateway.adapter.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.support.security.ServiceRoles;
import jakarta.annotation.security.RolesAllowed;

import io.aigateway.adapter.catalog.ManagedProvider;
import io.aigateway.adapter.catalog.ProviderCatalog;
import io.aigateway.adapter.health.ProviderHealthMonitor;
import io.aigateway.adapter.provider.HealthResult;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.RateLimitSnapshot;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.config.ProviderOverride;
import io.aigateway.contracts.error.ApiError;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The catalog with health ({@code GET /internal/v1/providers}) and one provider's health. No secrets, no URLs. */
@RolesAllowed({ServiceRoles.ROUTING, ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/providers")
@Produces(MediaType.APPLICATION_JSON)
public class ProviderResource {

    private final ProviderCatalog catalog;
    private final ProviderHealthMonitor health;

    public ProviderResource(ProviderCatalog catalog, ProviderHealthMonitor health) {
        this.catalog = catalog;
        this.health = health;
    }

    @Operation(summary = "Effective provider catalog",
                description = "Every provider with its models, settings and health, overrides applied. Callers: routing, "
                        + "admin, ops (X-Aigw-Internal-Token).")
    @GET
    @NonBlocking
    public List<ProviderView> list() {
        List<ProviderView> out = new ArrayList<>();
        for (ProviderAdapter a : catalog.adapters()) {
            var s = a.settings();
            HealthResult r = health.state(s.id());
            RateLimitSnapshot rl = a.rateLimit();
            ManagedProvider managed = catalog.managed(s.id());
            out.add(new ProviderView(s.id(), s.kind(), s.displayName(), s.enabled(),
                    s.enabled() && r.healthy(), a.models(), s.disabledReason(),
                    s.enabled() ? r.checkedAt() : null, s.enabled() ? r.detail() : s.disabledReason(),
                    rl == RateLimitSnapshot.NONE ? null : rl, s.priority(),
                    managed == null ? null : managed.override(), Settings.of(s)));
        }
        out.sort((x, y) -> x.id().compareTo(y.id()));
        return out;
    }

    /**
     * One entry of {@code GET /internal/v1/providers}, the EFFECTIVE catalog (file defaults plus the override
     * published on {@code ai.config.v1}): the fields of {@link ProviderInfo} (which readers parse ignoring unknown
     * fields; each model with {@code enabled}, the provider with {@code priority}) plus the reason a provider is
     * disabled, the last health check, the last rate-limit snapshot, the override applied ({@code null}: the file's
     * settings) and the connection settings in effect. Never a secret or a URL.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProviderView(String id, String kind, String displayName, boolean enabled, boolean healthy,
                               List<ModelInfo> models, String disabledReason, Instant lastCheck,
                               String healthDetail, RateLimitSnapshot rateLimit, int priority,
                               @JsonInclude(JsonInclude.Include.ALWAYS) ProviderOverride override,
                               Settings settings) {

        public ProviderInfo info() {
            return new ProviderInfo(id, kind, displayName, enabled, healthy, models, priority);
        }
    }

    /** The connection settings in effect. */
    public record Settings(Timeouts timeouts, int poolMaxConnections, int rateLimitPerMinute) {

        static Settings of(ProviderSettings s) {
            var t = s.timeouts();
            return new Settings(new Timeouts(t.connect().toMillis(), t.firstByte().toMillis(),
                    t.betweenChunks().toMillis(), t.total().toMillis()), s.pool().maxConnections(), s.rateLimitPerMinute());
        }
    }

    /** Upstream timeouts in milliseconds. */
    public record Timeouts(long connectMs, long firstByteMs, long betweenChunksMs, long totalMs) {
    }

    @Operation(summary = "One provider's health",
                description = "The last check's result. Callers: routing, admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ProviderHealth.class)))
    @APIResponse(responseCode = "404", description = "Not found (OpenAI envelope).")
    @GET
    @Path("{id}/health")
    @NonBlocking
    public ProviderHealth health(@PathParam("id") String id) {
        ProviderAdapter a = catalog.adapter(id);
        if (a == null) {
            throw ApiError.notFound("Unknown provider '" + id + "'.").exception();
        }
        HealthResult r = health.state(id);
        RateLimitSnapshot rl = a.rateLimit();
        return new ProviderHealth(id, a.settings().enabled() && r.healthy(), a.settings().enabled(), r.checkedAt(),
                r.latencyMs(), a.settings().enabled() ? r.detail() : a.settings().disabledReason(),
                rl == RateLimitSnapshot.NONE ? null : rl);
    }

    /** Answer of {@code GET /internal/v1/providers/{id}/health}. */
    public record ProviderHealth(String id, boolean healthy, boolean enabled, Instant checkedAt, Long latencyMs,
                                 String detail, RateLimitSnapshot rateLimit) {
    }
}
