package io.aigateway.admin.analytics.rest;

import io.aigateway.admin.openapi.AdminOpenApi;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.admin.analytics.client.UsageQueryClient;
import io.aigateway.admin.common.AdminQueries;
import io.aigateway.admin.common.client.RelayAnswer;
import io.aigateway.admin.common.client.ServiceRelay;
import io.aigateway.admin.keys.service.Roles;
import io.aigateway.admin.quotas.rest.QuotaRequests;
import io.aigateway.admin.routing.client.RoutingClient;
import io.aigateway.contracts.error.ApiError;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestMulti;

import java.util.Set;

/**
 * Usage and cost analytics, metrics, provider health history and alerts for admins (admin role): relays to
 * usage-service's query API ({@code /internal/v1/usage/*}, {@code /internal/v1/health/history},
 * {@code /internal/v1/alerts}) with an allow-list of query parameters; its answers (400 envelopes with
 * {@code param} included) come back as they are. The costs CSV is streamed through, never held whole.
 */
@Tag(name = AdminOpenApi.TAG_USAGE)
@SecurityRequirement(name = AdminOpenApi.ADMIN_KEY)
@SecurityRequirement(name = AdminOpenApi.OIDC)
@APIResponse(responseCode = "401", ref = AdminOpenApi.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = AdminOpenApi.FORBIDDEN)
@APIResponse(responseCode = "503", ref = AdminOpenApi.UNAVAILABLE)
@RolesAllowed(Roles.ADMIN)
@Path("/api/v1/ai/admin")
public class AdminUsageResource {

    static final Set<String> FILTERS = Set.of("from", "to", "groupBy", "userId", "keyId", "provider", "model", "context",
            "outcome");
    static final Set<String> USAGE = union(FILTERS, Set.of("cursor", "limit"));
    static final Set<String> COSTS = union(FILTERS, Set.of("format"));
    static final Set<String> HISTORY = Set.of("provider", "from", "to", "cursor", "limit");
    static final Set<String> ALERTS = Set.of("type", "subject", "from", "to", "cursor", "limit");
    static final Set<String> WINDOWS = Set.of("15m", "1h", "24h");

    private final UsageQueryClient usage;
    private final RoutingClient routing;
    private final QuotaRequests ids;
    private final ObjectMapper mapper;

    public AdminUsageResource(UsageQueryClient usage, RoutingClient routing, QuotaRequests ids, ObjectMapper mapper) {
        this.usage = usage;
        this.routing = routing;
        this.ids = ids;
        this.mapper = mapper;
    }

    @Operation(summary = "Usage by dimension",
                description = "Relayed to usage-service. Query parameters other than those listed: 400 naming it.")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "Start, an ISO-8601 instant or date (inclusive).",
                schema = @Schema(type = SchemaType.STRING), example = "2026-12-01")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "End, an ISO-8601 instant or date (exclusive).",
                schema = @Schema(type = SchemaType.STRING), example = "2026-12-04")
    @Parameter(name = "groupBy", in = ParameterIn.QUERY, description = "One or more of provider, model, user, key, context, day, hour (repeat or comma-separate).",
                schema = @Schema(type = SchemaType.STRING), example = "provider,day")
    @Parameter(name = "userId", in = ParameterIn.QUERY, description = "Only this user.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "keyId", in = ParameterIn.QUERY, description = "Only this key.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "provider", in = ParameterIn.QUERY, description = "Only this provider.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "model", in = ParameterIn.QUERY, description = "Only this model.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "context", in = ParameterIn.QUERY, description = "Only this context.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "outcome", in = ParameterIn.QUERY, description = "Only this outcome.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "nextCursor of the previous page.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "Rows per page.",
                schema = @Schema(type = SchemaType.INTEGER))
    @APIResponse(responseCode = "200", description = "Aggregated rows.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"from\":\"2026-12-01T00:00:00Z\",\"to\":\"2026-12-04T00:00:00Z\",\"groupBy\":[\"provider\"],\"rows\":[{\"provider\":\"fakeb\",\"requests\":12,\"errors\":0,\"cachedRequests\":2,\"promptTokens\":340,\"completionTokens\":510,\"costUsd\":0.0012,\"costSavedUsd\":0.0002,\"avgLatencyMs\":620,\"p95LatencyMs\":840}],\"nextCursor\":null}")))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @GET
    @Path("/usage")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> usage(@Context UriInfo uri) {
        return usage.get("usage/analytics", AdminQueries.relay(uri.getQueryParameters(), USAGE))
                .map(RelayAnswer::toResponse);
    }

    @Operation(summary = "Usage records of one request",
                description = "Every record of the request id, with its attempts.")
    @Parameter(name = "requestId", in = ParameterIn.PATH, description = "The x-request-id of the request.")
    @APIResponse(responseCode = "200", description = "The records.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "404", ref = AdminOpenApi.NOT_FOUND)
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @GET
    @Path("/usage/requests/{requestId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> request(@PathParam("requestId") String requestId) {
        return usage.request(ids.id(requestId, "requestId")).map(RelayAnswer::toResponse);
    }

    static final String COSTS_PATH = "/api/v1/ai/admin/costs";
    static final String TEXT_CSV = "text/csv";

    /** The costs report as JSON ({@link CostsFormatFilter} sends CSV requests to {@link #costsCsv}). */
    @Operation(summary = "Costs by dimension, with a month-end projection",
                description = "JSON; with format=csv or Accept: text/csv the same rows as CSV, streamed with a "
                        + "Content-Disposition file name.")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "Start, an ISO-8601 instant or date (inclusive).",
                schema = @Schema(type = SchemaType.STRING), example = "2026-12-01")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "End, an ISO-8601 instant or date (exclusive).",
                schema = @Schema(type = SchemaType.STRING), example = "2026-12-04")
    @Parameter(name = "groupBy", in = ParameterIn.QUERY, description = "One or more of provider, model, user, key, context, day, hour (repeat or comma-separate).",
                schema = @Schema(type = SchemaType.STRING), example = "provider,day")
    @Parameter(name = "userId", in = ParameterIn.QUERY, description = "Only this user.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "keyId", in = ParameterIn.QUERY, description = "Only this key.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "provider", in = ParameterIn.QUERY, description = "Only this provider.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "model", in = ParameterIn.QUERY, description = "Only this model.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "context", in = ParameterIn.QUERY, description = "Only this context.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "outcome", in = ParameterIn.QUERY, description = "Only this outcome.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "format", in = ParameterIn.QUERY, description = "json (default) or csv.",
                schema = @Schema(type = SchemaType.STRING), example = "json")
    @APIResponse(responseCode = "200", description = "Costs in USD.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"from\":\"2026-12-01T00:00:00Z\",\"to\":\"2026-12-04T00:00:00Z\",\"groupBy\":[\"provider\"],\"currency\":\"USD\",\"totalUsd\":0.0012,\"costSavedUsd\":0.0002,\"rows\":[{\"provider\":\"fakeb\",\"costUsd\":0.0012}],\"projection\":{\"method\":\"linear\",\"projectedMonthEndUsd\":0.0124}}")))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @GET
    @Path("/costs")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> costs(@Context UriInfo uri, @QueryParam("format") String format) {
        checkFormat(format);
        return usage.get("usage/costs", AdminQueries.relay(uri.getQueryParameters(), COSTS)).map(RelayAnswer::toResponse);
    }

    /**
     * The cost rows as CSV ({@code Accept: text/csv} or {@code format=csv}), streamed from usage-service chunk by chunk
     * with its {@code content-disposition} (file name), never held whole.
     */
    @Operation(summary = "Costs by dimension as CSV",
                description = "Selected by Accept: text/csv (or format=csv).")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "Start, an ISO-8601 instant or date (inclusive).",
                schema = @Schema(type = SchemaType.STRING), example = "2026-12-01")
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "End, an ISO-8601 instant or date (exclusive).",
                schema = @Schema(type = SchemaType.STRING), example = "2026-12-04")
    @Parameter(name = "groupBy", in = ParameterIn.QUERY, description = "One or more of provider, model, user, key, context, day, hour (repeat or comma-separate).",
                schema = @Schema(type = SchemaType.STRING), example = "provider,day")
    @Parameter(name = "userId", in = ParameterIn.QUERY, description = "Only this user.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "keyId", in = ParameterIn.QUERY, description = "Only this key.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "provider", in = ParameterIn.QUERY, description = "Only this provider.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "model", in = ParameterIn.QUERY, description = "Only this model.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "context", in = ParameterIn.QUERY, description = "Only this context.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "outcome", in = ParameterIn.QUERY, description = "Only this outcome.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "format", in = ParameterIn.QUERY, description = "csv",
                schema = @Schema(type = SchemaType.STRING), example = "csv")
    @APIResponse(responseCode = "200", description = "CSV rows, streamed from usage-service.",
                content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @GET
    @Path("/costs")
    @Produces(TEXT_CSV)
    public RestMulti<Buffer> costsCsv(@Context UriInfo uri, @QueryParam("format") String format) {
        checkFormat(format);
        Uni<ServiceRelay.Streamed> answer = usage.costsCsv(AdminQueries.relay(uri.getQueryParameters(), COSTS))
                .onFailure(io.aigateway.contracts.error.ApiException.class).recoverWithItem(t -> envelope(
                        ((io.aigateway.contracts.error.ApiException) t).error()));
        return RestMulti.fromUniResponse(answer, ServiceRelay.Streamed::body, ServiceRelay.Streamed::headers,
                ServiceRelay.Streamed::status);
    }

    private static void checkFormat(String format) {
        if (format != null && !format.equalsIgnoreCase("csv") && !format.equalsIgnoreCase("json")) {
            throw ApiError.badRequest("'format' must be csv or json.", "format").exception();
        }
    }

    /** Usage-service's metrics for the window, plus routing's breaker states and cache hit rate; parts degrade. */
    @Tag(name = AdminOpenApi.TAG_MONITORING)
    @Operation(summary = "Live metrics",
                description = "usage-service's request metrics for the window plus routing-service's breaker states and "
                        + "cache statistics; a part whose service is down is null with a note.")
    @Parameter(name = "window", in = ParameterIn.QUERY, description = "15m, 1h (default) or 24h.",
                schema = @Schema(type = SchemaType.STRING), example = "1h")
    @APIResponse(responseCode = "200", description = "The metrics.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"window\":\"1h\",\"usage\":{\"requests\":12,\"errors\":0,\"errorRate\":0.0},\"breakers\":[{\"provider\":\"fakeb\",\"state\":\"CLOSED\"}],\"cache\":{\"hitRate\":0.25,\"redis\":\"up\",\"stats\":{}},\"notes\":[]}")))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @GET
    @Path("/metrics")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ObjectNode> metrics(@QueryParam("window") String window, @Context UriInfo uri) {
        AdminQueries.relay(uri.getQueryParameters(), Set.of("window"));
        String w = window == null ? "1h" : window;
        if (!WINDOWS.contains(w)) {
            throw ApiError.badRequest("'window' must be one of 15m, 1h, 24h.", "window").exception();
        }
        Uni<RelayAnswer> m = usage.get("usage/metrics", "window=" + w);
        Uni<RelayAnswer> b = routing.breakers();
        Uni<RelayAnswer> c = routing.cacheStats();
        return Uni.combine().all().unis(part(m), part(b), part(c)).asTuple().map(t -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("window", w);
            var notes = JsonNodeFactory.instance.arrayNode();
            out.set("usage", t.getItem1() == null ? JsonNodeFactory.instance.nullNode() : t.getItem1().json(mapper));
            if (t.getItem1() == null) {
                notes.add("usage-service unavailable: usage metrics unknown");
            }
            out.set("breakers", t.getItem2() == null ? JsonNodeFactory.instance.nullNode()
                    : t.getItem2().json(mapper).path("breakers"));
            if (t.getItem2() == null) {
                notes.add("routing-service unavailable: breaker states unknown");
            }
            if (t.getItem3() == null) {
                out.putNull("cache");
                notes.add("routing-service unavailable: cache statistics unknown");
            } else {
                var stats = t.getItem3().json(mapper);
                ObjectNode cache = out.putObject("cache");
                var shared = stats.path("shared").path("hitRate");
                cache.set("hitRate", shared.isMissingNode() ? stats.path("instance").path("hitRate") : shared);
                cache.set("redis", stats.path("redis"));
                cache.set("stats", stats);
            }
            out.set("notes", notes);
            return out;
        });
    }

    @Tag(name = AdminOpenApi.TAG_MONITORING)
    @Operation(summary = "Provider health history",
                description = "Newest first; relayed to usage-service.")
    @Parameter(name = "provider", in = ParameterIn.QUERY, description = "Only this provider.",
                schema = @Schema(type = SchemaType.STRING), example = "fakeb")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "Start (ISO-8601).",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "End (ISO-8601).",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "nextCursor of the previous page.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "Rows per page.",
                schema = @Schema(type = SchemaType.INTEGER))
    @APIResponse(responseCode = "200", description = "Health events.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"rows\":[],\"nextCursor\":null}")))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @GET
    @Path("/health/history")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> healthHistory(@Context UriInfo uri) {
        return usage.get("health/history", AdminQueries.relay(uri.getQueryParameters(), HISTORY))
                .map(RelayAnswer::toResponse);
    }

    @Tag(name = AdminOpenApi.TAG_MONITORING)
    @Operation(summary = "Alerts",
                description = "Newest first; relayed to usage-service.")
    @Parameter(name = "type", in = ParameterIn.QUERY, description = "Only this alert type.",
                schema = @Schema(type = SchemaType.STRING), example = "provider_unhealthy")
    @Parameter(name = "subject", in = ParameterIn.QUERY, description = "Only this subject.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "Start (ISO-8601).",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "End (ISO-8601).",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "nextCursor of the previous page.",
                schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "Rows per page.",
                schema = @Schema(type = SchemaType.INTEGER))
    @APIResponse(responseCode = "200", description = "Alerts.",
                content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT),
                        examples = @ExampleObject(name = "example", value = "{\"rows\":[],\"nextCursor\":null}")))
    @APIResponse(responseCode = "400", ref = AdminOpenApi.BAD_REQUEST)
    @APIResponse(responseCode = "502", ref = AdminOpenApi.UPSTREAM_ERROR)
    @APIResponse(responseCode = "504", ref = AdminOpenApi.UPSTREAM_TIMEOUT)
    @GET
    @Path("/alerts")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> alerts(@Context UriInfo uri) {
        return usage.get("alerts", AdminQueries.relay(uri.getQueryParameters(), ALERTS)).map(RelayAnswer::toResponse);
    }

    private static Uni<RelayAnswer> part(Uni<RelayAnswer> call) {
        return call.map(a -> a.ok() && a.body() != null ? a : null).onFailure().recoverWithNull();
    }

    private ServiceRelay.Streamed envelope(ApiError error) {
        try {
            String body = mapper.writeValueAsString(error.envelope());
            java.util.Map<String, java.util.List<String>> headers = new java.util.LinkedHashMap<>();
            headers.put("content-type", java.util.List.of("application/json"));
            error.headers().forEach((k, v) -> headers.put(k, java.util.List.of(v)));
            return new ServiceRelay.Streamed(error.status(), headers,
                    io.smallrye.mutiny.Multi.createFrom().item(Buffer.buffer(body)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.Set<String> out = new java.util.HashSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }
}
