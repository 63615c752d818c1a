package io.aigateway.usage.analytics.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the analytics routes (money as strings from {@link Money#format}, instants ISO-8601 UTC). */
public final class AnalyticsViews {

    private AnalyticsViews() {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"from", "to", "groupBy", "rows", "nextCursor"})
    public record AnalyticsPage(Instant from, Instant to, List<String> groupBy, List<Map<String, Object>> rows,
                                String nextCursor) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"from", "to", "groupBy", "currency", "totalUsd", "costSavedUsd", "rows", "projection"})
    public record CostReport(Instant from, Instant to, List<String> groupBy, String currency, String totalUsd,
                             String costSavedUsd, List<Map<String, Object>> rows, Projection projection) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RequestUsage(String requestId, List<RequestRecord> records) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"eventId", "occurredAt", "userId", "keyId", "context", "requestedModel", "provider", "model",
            "policy", "promptTokens", "completionTokens", "totalTokens", "usageEstimated", "costUsd", "costSavedUsd",
            "latencyMs", "ttftMs", "streamed", "cached", "outcome", "errorClass", "attempts", "traceId"})
    public record RequestRecord(String eventId, Instant occurredAt, String userId, String keyId, String context,
                                String requestedModel, String provider, String model, String policy,
                                int promptTokens, int completionTokens, int totalTokens, boolean usageEstimated,
                                String costUsd, String costSavedUsd, long latencyMs, Long ttftMs, boolean streamed,
                                boolean cached, String outcome, String errorClass, List<Attempt> attempts,
                                String traceId) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Attempt(String provider, String model, String errorClass, Integer status, long latencyMs) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"window", "from", "to", "requests", "errors", "errorRate", "latencyMs", "ttftMs",
            "cacheHitRate", "fallbackRate", "retries", "byProvider", "byModel"})
    public record Metrics(String window, Instant from, Instant to, long requests, long errors, double errorRate,
                          Latency latencyMs, Ttft ttftMs, double cacheHitRate, double fallbackRate, long retries,
                          List<ProviderMetrics> byProvider, List<ModelMetrics> byModel) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Latency(Long p50, Long p95, Long p99) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Ttft(Long p50, Long p95) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"provider", "requests", "errors", "promptTokens", "completionTokens", "costUsd"})
    public record ProviderMetrics(String provider, long requests, long errors, long promptTokens,
                                  long completionTokens, String costUsd) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"provider", "model", "requests", "promptTokens", "completionTokens", "costUsd"})
    public record ModelMetrics(String provider, String model, long requests, long promptTokens, long completionTokens,
                               String costUsd) {
    }
}
