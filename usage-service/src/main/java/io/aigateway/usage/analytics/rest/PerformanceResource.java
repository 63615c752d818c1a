package io.aigateway.usage.analytics.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import io.aigateway.support.security.ServiceRoles;
import io.aigateway.usage.analytics.repository.AnalyticsRepository;
import io.aigateway.usage.analytics.repository.AnalyticsRepository.ModelPerformance;
import io.aigateway.usage.analytics.service.AnalyticsParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code GET /internal/v1/usage/performance?window=15m|1h|24h} (default 1h): per provider/model, from the raw
 * usage_records of the window, the requests, {@code successRate} (share of SUCCESS outcomes, 4 decimals),
 * average and p95 latency and the median time to first token of streamed requests (null without any). Cache hits
 * and requests that never reached a provider are not counted. The edge's public model catalog shows it.
 */
@RolesAllowed({ServiceRoles.EDGE, ServiceRoles.ADMIN, ServiceRoles.OPS})
@Path("/internal/v1/usage/performance")
@Produces(MediaType.APPLICATION_JSON)
public class PerformanceResource {

    public record ModelStats(String provider, String model, long requests, double successRate, Long avgLatencyMs,
                             Long p95LatencyMs, Long ttftMsP50) {
    }

    public record Performance(String window, Instant from, Instant to, List<ModelStats> models) {
    }

    private final AnalyticsRepository repository;

    public PerformanceResource(AnalyticsRepository repository) {
        this.repository = repository;
    }

    @Operation(summary = "Per-model performance",
                description = "Latency, TTFT and success rate over a window (the edge's catalog). Callers: edge, admin, "
                        + "ops (X-Aigw-Internal-Token).")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Performance.class)))
    @APIResponse(responseCode = "400", description = "Bad input (OpenAI envelope; param names the field).")
    @GET
    public Uni<Performance> performance(@RestQuery String window) {
        String w = window == null ? "1h" : window.trim();
        Duration length = AnalyticsParams.window(w);
        Instant to = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant from = to.minus(length);
        return repository.performanceByModel(from, to).map(rows -> new Performance(w, from, to,
                rows.stream().map(PerformanceResource::stats).toList()));
    }

    static ModelStats stats(ModelPerformance p) {
        double rate = p.requests() == 0 ? 0 : BigDecimal.valueOf(p.successes())
                .divide(BigDecimal.valueOf(p.requests()), 4, RoundingMode.HALF_UP).doubleValue();
        return new ModelStats(p.provider(), p.model(), p.requests(), rate, p.avgLatencyMs(), p.p95LatencyMs(),
                p.ttftMsP50());
    }
}
