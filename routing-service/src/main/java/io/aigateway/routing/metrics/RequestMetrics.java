package io.aigateway.routing.metrics;

import io.aigateway.contracts.usage.UsageEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-request metrics of routing, named after the OpenTelemetry GenAI conventions where one fits (Prometheus names):
 * <ul>
 *   <li>{@code gen_ai_client_token_usage{gen_ai_operation_name="chat",gen_ai_provider_name,gen_ai_request_model,
 *   gen_ai_response_model,gen_ai_token_type=input|output}} (histogram): once per usage event, exactly its
 *   {@code promptTokens} / {@code completionTokens} (cache hits included);</li>
 *   <li>{@code gen_ai_client_operation_duration_seconds{gen_ai_operation_name,gen_ai_provider_name,gen_ai_request_model,
 *   error_type}} (histogram): once per usage event, the whole request as routing served it ({@code none} when no
 *   provider served / no error);</li>
 *   <li>{@code gen_ai_server_time_to_first_token_seconds{gen_ai_provider_name,gen_ai_request_model}} (histogram):
 *   streamed requests, request start to first content;</li>
 *   <li>{@code aigw_cost_usd_total{provider,model}}, {@code aigw_cost_saved_usd_total{provider,model}}: the usage
 *   event's {@code costUsd} and {@code costSavedUsd} (cache hits);</li>
 *   <li>{@code aigw_requests_total{provider,model,status,policy,context,cache}}: once per request answered on
 *   {@code /internal/v1/route/chat} (status as sent; 499 when the client went away first).</li>
 * </ul>
 * Label values are bounded by {@link MetricLabels}. Meters are built once per label set and cached; a request costs
 * one map lookup per meter group. The meters of one provider/model pair are registered together, so every series
 * (the time-to-first-token and cost-saved ones included) exists, at zero, once the pair served anything.
 */
public class RequestMetrics {

    static final String OPERATION = "chat";
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144};
    /** SLO buckets of the duration histograms (p50/p95/p99 by histogram_quantile). */
    public static final Duration[] DURATION_BUCKETS = seconds(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120);

    private final MeterRegistry registry;
    private final MetricLabels labels;
    private final ConcurrentMap<PairKey, PairMeters> pairs = new ConcurrentHashMap<>();
    private final ConcurrentMap<DurationKey, Timer> durations = new ConcurrentHashMap<>();
    private final ConcurrentMap<RequestKey, Counter> requests = new ConcurrentHashMap<>();

    public RequestMetrics(MeterRegistry registry, MetricLabels labels) {
        this.registry = registry;
        this.labels = labels;
    }

    public MetricLabels labels() {
        return labels;
    }

    private record PairKey(String provider, String requestModel, String responseModel) {
    }

    private record DurationKey(String provider, String requestModel, String errorType) {
    }

    private record RequestKey(String provider, String model, int status, String policy, String context, String cache) {
    }

    /** The meters of one provider / requested model / answering model, built together once. */
    private final class PairMeters {
        final DistributionSummary input;
        final DistributionSummary output;
        final Timer ttft;
        final Counter cost;
        final Counter saved;

        PairMeters(PairKey k) {
            input = tokens(k, "input");
            output = tokens(k, "output");
            ttft = Timer.builder("gen_ai.server.time_to_first_token")
                    .description("Time from the request's start to the first content of a streamed answer")
                    .tag("gen_ai_provider_name", k.provider()).tag("gen_ai_request_model", k.requestModel())
                    .serviceLevelObjectives(DURATION_BUCKETS)
                    .register(registry);
            cost = Counter.builder("aigw.cost.usd").description("Cost of the answers in USD, as the usage events say")
                    .tag("provider", k.provider()).tag("model", k.responseModel()).register(registry);
            saved = Counter.builder("aigw.cost.saved.usd")
                    .description("Cost in USD the response cache saved (the original answer's cost, per cache hit)")
                    .tag("provider", k.provider()).tag("model", k.responseModel()).register(registry);
        }

        private DistributionSummary tokens(PairKey k, String type) {
            return DistributionSummary.builder("gen_ai.client.token.usage")
                    .description("Tokens per request as the usage event counts them, by token type")
                    .tag("gen_ai_operation_name", OPERATION)
                    .tag("gen_ai_provider_name", k.provider())
                    .tag("gen_ai_request_model", k.requestModel())
                    .tag("gen_ai_response_model", k.responseModel())
                    .tag("gen_ai_token_type", type)
                    .serviceLevelObjectives(TOKEN_BUCKETS)
                    .register(registry);
        }
    }

    /** One usage event routing publishes (called once per event, never for a resend from the spool). */
    public void usageEvent(UsageEvent e) {
        String provider = labels.provider(e.provider());
        String requested = labels.model(e.requestedModel());
        String answered = labels.model(e.model());
        PairMeters m = pairs.computeIfAbsent(new PairKey(provider, requested, answered), PairMeters::new);
        m.input.record(e.promptTokens());
        m.output.record(e.completionTokens());
        add(m.cost, e.costUsd());
        add(m.saved, e.costSavedUsd());
        if (e.streamed() && e.ttftMs() != null && e.ttftMs() >= 0) {
            m.ttft.record(e.ttftMs(), TimeUnit.MILLISECONDS);
        }
        String errorType = MetricLabels.errorType(e.errorClass());
        durations.computeIfAbsent(new DurationKey(provider, requested, errorType), k -> Timer.builder("gen_ai.client.operation.duration")
                        .description("Duration of a chat request as routing served it (fallbacks included)")
                        .tag("gen_ai_operation_name", OPERATION)
                        .tag("gen_ai_provider_name", k.provider())
                        .tag("gen_ai_request_model", k.requestModel())
                        .tag("error_type", k.errorType())
                        .serviceLevelObjectives(DURATION_BUCKETS)
                        .register(registry))
                .record(Math.max(0, e.latencyMs()), TimeUnit.MILLISECONDS);
    }

    /**
     * One request answered on the route.
     *
     * @param provider the serving provider (null: none served)
     * @param model    the answering model (null: none)
     * @param cache    {@code hit}, {@code miss} or {@code bypass} (null: bypass, the cache never saw the request)
     */
    public void request(String provider, String model, int status, String policy, String context, String cache) {
        RequestKey k = new RequestKey(labels.provider(provider), labels.model(model), status, labels.policy(policy),
                labels.context(context), cache == null ? "bypass" : cache);
        requests.computeIfAbsent(k, x -> Counter.builder("aigw.requests")
                .description("Chat requests answered by routing, by provider, model, HTTP status, policy, context and cache result")
                .tag("provider", x.provider()).tag("model", x.model()).tag("status", Integer.toString(x.status()))
                .tag("policy", x.policy()).tag("context", x.context()).tag("cache", x.cache())
                .register(registry)).increment();
    }

    /** The {@code cache} label of an {@code x-aigw-cache} value: HIT and COALESCED answer without a provider call. */
    public static String cacheLabel(String header) {
        if (header == null) {
            return "bypass";
        }
        return switch (header) {
            case "HIT", "COALESCED" -> "hit";
            case "MISS" -> "miss";
            default -> "bypass";
        };
    }

    private static void add(Counter c, BigDecimal amount) {
        if (amount != null && amount.signum() > 0) {
            c.increment(amount.doubleValue());
        }
    }

    private static Duration[] seconds(double... s) {
        Duration[] d = new Duration[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = Duration.ofNanos(Math.round(s[i] * 1_000_000_000L));
        }
        return d;
    }
}
