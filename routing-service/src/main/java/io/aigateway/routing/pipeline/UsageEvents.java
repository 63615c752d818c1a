package io.aigateway.routing.pipeline;

import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.adapter.CallerHeaders;
import io.aigateway.support.tracing.Traces;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The one place a chat request's {@link UsageEvent} is built (routed answers, cached answers, rejected requests):
 * start from the request, set what is known, {@link #build()}. Unset counts are 0, cost 0, no attempts.
 */
public final class UsageEvents {

    private final CallerHeaders caller;
    private final String context;
    private final String policy;
    private final String requestedModel;
    private final boolean stream;
    private final long startNanos;
    private String provider;
    private String model;
    private int promptTokens;
    private int completionTokens;
    private boolean estimated;
    private BigDecimal cost = BigDecimal.ZERO;
    private BigDecimal costSaved;
    private Long ttftMs;
    private boolean cached;
    private UsageEvent.Outcome outcome = UsageEvent.Outcome.SUCCESS;
    private String errorClass;
    private List<UsageEvent.Attempt> attempts = List.of();
    /** The request's trace id: the current span's when this builder is made (on the request's context), or set. */
    private String traceId = Traces.currentTraceId();

    private UsageEvents(CallerHeaders caller, String context, String policy, String requestedModel, boolean stream,
                        long startNanos) {
        this.caller = caller;
        this.context = context;
        this.policy = policy;
        this.requestedModel = requestedModel;
        this.stream = stream;
        this.startNanos = startNanos;
    }

    public static UsageEvents of(ChatRequest r) {
        return new UsageEvents(r.caller(), r.context(), r.policy().wireName(), r.model(), r.stream(), r.startNanos());
    }

    /** A request known only by its headers (rejected before its body could be read). */
    public static UsageEvents of(CallerHeaders caller, String context, String policy, String requestedModel,
                                 boolean stream, long startNanos) {
        return new UsageEvents(caller, context, policy, requestedModel, stream, startNanos);
    }

    public UsageEvents servedBy(String provider, String model) {
        this.provider = provider;
        this.model = model;
        return this;
    }

    /** Tokens, estimation flag and cost of an answer (null counts are 0, a null cost is 0). */
    public UsageEvents usage(Integer prompt, Integer completion, boolean estimated, BigDecimal cost) {
        this.promptTokens = prompt == null ? 0 : prompt;
        this.completionTokens = completion == null ? 0 : completion;
        this.estimated = estimated;
        this.cost = cost == null ? BigDecimal.ZERO : cost;
        return this;
    }

    /** A cache hit: no cost, the original answer's cost saved. */
    public UsageEvents cached(BigDecimal costSaved) {
        this.cached = true;
        this.cost = BigDecimal.ZERO;
        this.costSaved = costSaved == null ? BigDecimal.ZERO : costSaved;
        return this;
    }

    public UsageEvents ttftMs(Long ttftMs) {
        this.ttftMs = ttftMs;
        return this;
    }

    public UsageEvents outcome(UsageEvent.Outcome outcome, String errorClass) {
        this.outcome = outcome;
        this.errorClass = errorClass;
        return this;
    }

    public UsageEvents attempts(List<UsageEvent.Attempt> attempts) {
        this.attempts = attempts;
        return this;
    }

    /** The request's trace id (kept when null: a builder made off the request's context keeps what it found). */
    public UsageEvents traceId(String traceId) {
        if (traceId != null) {
            this.traceId = traceId;
        }
        return this;
    }

    public UsageEvent build() {
        return new UsageEvent(UUID.randomUUID(), caller.requestId(), Instant.now(), caller.userId(), caller.keyId(),
                context, requestedModel, provider, model, policy, promptTokens, completionTokens,
                promptTokens + completionTokens, estimated, cost, costSaved, (System.nanoTime() - startNanos) / 1_000_000,
                ttftMs, stream, cached, outcome, errorClass, attempts, traceId);
    }
}
