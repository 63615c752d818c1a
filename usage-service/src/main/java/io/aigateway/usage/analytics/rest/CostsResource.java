package io.aigateway.usage.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.support.security.ServiceRoles;
import io.aigateway.usage.analytics.service.AnalyticsParams;
import io.aigateway.usage.analytics.service.AnalyticsService;
import io.aigateway.usage.analytics.service.AnalyticsViews.CostReport;
import io.aigateway.usage.analytics.service.GroupBy;
import io.aigateway.usage.config.UsageConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /internal/v1/usage/costs}: the cost report as JSON (rows, totals, month-end projection) or, with
 * {@code Accept: text/csv} or {@code format=csv} ({@link CsvFormatFilter}), the same rows as CSV streamed from a
 * PostgreSQL cursor.
 */
@RolesAllowed({ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path(CostsResource.PATH)
public class CostsResource {

    static final String PATH = "/internal/v1/usage/costs";
    static final String TEXT_CSV = "text/csv";
    static final Set<GroupBy> GROUPS = EnumSet.of(GroupBy.PROVIDER, GroupBy.MODEL, GroupBy.USER, GroupBy.DAY);

    private final AnalyticsService analytics;
    private final int jsonMaxRows;

    public CostsResource(AnalyticsService analytics, UsageConfig config) {
        this.analytics = analytics;
        this.jsonMaxRows = config.analytics().costsJsonMaxRows();
    }

    @Operation(summary = "Costs by dimension",
                description = "With a month-end projection. Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CostReport.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<CostReport> json(@RestQuery String from, @RestQuery String to, @RestQuery List<String> groupBy,
                                @RestQuery String userId, @RestQuery String keyId, @RestQuery String provider,
                                @RestQuery String model, @RestQuery String context, @RestQuery String outcome,
                                @RestQuery String format) {
        checkFormat(format);
        Instant now = Instant.now();
        return analytics.costs(AnalyticsParams.range(from, to, now), AnalyticsParams.groupBy(groupBy, GROUPS),
                AnalyticsParams.filters(userId, keyId, provider, model, context, outcome), now, jsonMaxRows);
    }

    @Operation(summary = "Costs by dimension as CSV",
                description = "Streamed. Callers: admin, ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @GET
    @Produces(TEXT_CSV)
    public Multi<Buffer> csv(@RestQuery String from, @RestQuery String to, @RestQuery List<String> groupBy,
                             @RestQuery String userId, @RestQuery String keyId, @RestQuery String provider,
                             @RestQuery String model, @RestQuery String context, @RestQuery String outcome,
                             @RestQuery String format) {
        checkFormat(format);
        AnalyticsParams.TimeRange range = AnalyticsParams.range(from, to, Instant.now());
        List<GroupBy> groups = AnalyticsParams.groupBy(groupBy, GROUPS);
        AnalyticsParams.Filters filters = AnalyticsParams.filters(userId, keyId, provider, model, context, outcome);
        return RestMulti.fromMultiData(analytics.costsCsv(range, groups, filters))
                .header("Content-Type", "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"costs.csv\"")
                .build();
    }

    private static void checkFormat(String format) {
        if (format != null && !format.equals("csv") && !format.equals("json")) {
            throw ApiError.badRequest("'format' must be json or csv.", "format").exception();
        }
    }
}
