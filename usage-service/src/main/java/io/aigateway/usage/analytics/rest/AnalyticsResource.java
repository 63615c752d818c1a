package io.aigateway.usage.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.support.security.ServiceRoles;
import io.aigateway.usage.analytics.service.AnalyticsParams;
import io.aigateway.usage.analytics.service.AnalyticsService;
import io.aigateway.usage.analytics.service.AnalyticsViews.AnalyticsPage;
import io.aigateway.usage.analytics.service.GroupBy;
import io.aigateway.usage.config.UsageConfig;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

/** {@code GET /internal/v1/usage/analytics}: grouped usage with keyset (cursor) pagination, for admin-service. */
@RolesAllowed({ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/usage/analytics")
@Produces(MediaType.APPLICATION_JSON)
public class AnalyticsResource {

    private final AnalyticsService analytics;
    private final UsageConfig.Analytics config;

    public AnalyticsResource(AnalyticsService analytics, UsageConfig config) {
        this.analytics = analytics;
        this.config = config.analytics();
    }

    @Operation(summary = "Usage by dimension",
                description = "Aggregated rows, paged. Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AnalyticsPage.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @GET
    public Uni<AnalyticsPage> analytics(@RestQuery String from, @RestQuery String to, @RestQuery List<String> groupBy,
                                        @RestQuery String userId, @RestQuery String keyId, @RestQuery String provider,
                                        @RestQuery String model, @RestQuery String context, @RestQuery String outcome,
                                        @RestQuery String cursor, @RestQuery String limit) {
        AnalyticsParams.TimeRange range = AnalyticsParams.range(from, to, Instant.now());
        List<GroupBy> groups = AnalyticsParams.groupBy(groupBy, EnumSet.allOf(GroupBy.class));
        AnalyticsParams.Filters filters = AnalyticsParams.filters(userId, keyId, provider, model, context, outcome);
        int max = AnalyticsParams.limit(limit, config.defaultLimit(), config.maxLimit());
        return analytics.analytics(range, groups, filters, cursor, max);
    }
}
