package io.aigateway.routing.chat;

import io.aigateway.support.tracing.GenAiSpan;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

import io.aigateway.routing.adapter.AttemptFailure;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.routing.adapter.CallerHeaders;
import io.aigateway.routing.route.Candidate;
import io.aigateway.routing.route.Resolution;

import java.util.ArrayList;
import java.util.List;

/**
 * The state of one routed request. Used from the request's event-loop context only (no locking).
 */
public final class RouteContext {

    private final CallerHeaders caller;
    private final String context;
    private final String policy;
    private final ChatCompletionRequest request;
    private final String requestedModel;
    private final boolean stream;
    private final long startNanos;
    private final List<AttemptRecord> attempts = new ArrayList<>(2);
    private Resolution resolution;
    private int servedIndex = -1;
    private boolean finished;
    /** The OpenTelemetry context the request arrived in (routing's server span): the parent of its attempt spans. */
    private final Context trace = Context.current();
    /** The GenAI span of the attempt that served the request, ended with its tokens when the request finishes. */
    private GenAiSpan servingSpan;

    public RouteContext(CallerHeaders caller, String context, String policy, ChatCompletionRequest request,
                        long startNanos) {
        this.caller = caller;
        this.context = context;
        this.policy = policy;
        this.request = request;
        this.requestedModel = request == null ? null : request.model();
        this.stream = request != null && request.stream();
        this.startNanos = startNanos;
    }

    /** The request's trace context (routing's server span, or root without tracing). */
    public Context trace() {
        return trace;
    }

    /** The request's trace id, or null without a valid span. */
    public String traceId() {
        var sc = Span.fromContext(trace).getSpanContext();
        return sc.isValid() ? sc.getTraceId() : null;
    }

    public void servingSpan(GenAiSpan span) {
        this.servingSpan = span;
    }

    public GenAiSpan servingSpan() {
        return servingSpan;
    }

    public CallerHeaders caller() {
        return caller;
    }

    public String requestId() {
        return caller.requestId();
    }

    public String context() {
        return context;
    }

    public String policy() {
        return policy;
    }

    public ChatCompletionRequest request() {
        return request;
    }

    public String requestedModel() {
        return requestedModel;
    }

    public boolean stream() {
        return stream;
    }

    public long startNanos() {
        return startNanos;
    }

    public long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public Resolution resolution() {
        return resolution;
    }

    public void resolution(Resolution resolution) {
        this.resolution = resolution;
    }

    public List<Candidate> candidates() {
        return resolution == null ? List.of() : resolution.candidates();
    }

    public List<AttemptRecord> attempts() {
        return attempts;
    }

    void recordSuccess(int candidateIndex, Candidate c, long latencyMs) {
        attempts.add(new AttemptRecord(c, null, 200, latencyMs));
        servedIndex = candidateIndex;
    }

    void recordFailure(Candidate c, AttemptFailure f, long latencyMs) {
        attempts.add(new AttemptRecord(c, f.error(), f.status(), latencyMs));
    }

    void recordRejected(Candidate c) {
        attempts.add(new AttemptRecord(c, new ProviderError(ErrorClass.OVERLOADED, null, null,
                "circuit breaker open", c.providerId(), c.modelId()), null, 0, AttemptRecord.CIRCUIT_OPEN));
    }

    /** A stream that had started failed later: the serving attempt now carries the error. */
    void markServedAttemptFailed(ProviderError error) {
        if (!attempts.isEmpty()) {
            AttemptRecord last = attempts.get(attempts.size() - 1);
            attempts.set(attempts.size() - 1, new AttemptRecord(last.candidate(), error,
                    error.providerStatus() != null ? error.providerStatus() : last.status(), last.latencyMs()));
        }
    }

    /** The candidate that answered, or null. */
    public Candidate served() {
        return servedIndex < 0 ? null : resolution.candidates().get(servedIndex);
    }

    /** {@code group:<name>}, {@code pinned} or {@code model-match}, plus {@code ,fallback} when not the first. */
    public String routeReason() {
        String base = resolution == null ? "none" : resolution.reason();
        return servedIndex > 0 ? base + ",fallback" : base;
    }

    /** Marks the request finished; true only the first time (one usage event per request). */
    boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        return true;
    }
}
