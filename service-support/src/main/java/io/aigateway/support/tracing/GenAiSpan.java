package io.aigateway.support.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * One call to a model as an OpenTelemetry GenAI client span (semantic conventions for generative AI): name
 * {@code chat <model>}, kind CLIENT, {@code gen_ai.operation.name}, {@code gen_ai.provider.name},
 * {@code gen_ai.request.model}, then {@code gen_ai.response.model}, {@code gen_ai.usage.input_tokens} /
 * {@code output_tokens} and, on failure, {@code error.type} (the gateway's error class). Routing makes one per attempt,
 * adapter-service one around the upstream call. Not thread-safe; ends once.
 */
public final class GenAiSpan {

    public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    public static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    public static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    public static final String CHAT = "chat";

    private final Span span;
    private boolean ended;

    private GenAiSpan(Span span) {
        this.span = span;
    }

    /** Starts a chat span as a child of {@code parent} (usually {@code Context.current()}). */
    public static GenAiSpan chat(Tracer tracer, Context parent, String provider, String requestModel) {
        Span span = tracer.spanBuilder(requestModel == null ? CHAT : CHAT + " " + requestModel)
                .setParent(parent)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(OPERATION, CHAT)
                .setAttribute(PROVIDER, provider)
                .setAttribute(REQUEST_MODEL, requestModel)
                .startSpan();
        return new GenAiSpan(span);
    }

    public Span span() {
        return span;
    }

    /** This span as the parent of what is started or sent while it is current (e.g. the call to the next service). */
    public Context context(Context parent) {
        return parent.with(span);
    }

    public GenAiSpan attribute(String key, String value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
        return this;
    }

    public GenAiSpan attribute(String key, long value) {
        span.setAttribute(key, value);
        return this;
    }

    /** Ends the span as a success with the model that answered and the tokens (null: unknown). */
    public void succeeded(String responseModel, Integer inputTokens, Integer outputTokens) {
        if (ended) {
            return;
        }
        ended = true;
        if (responseModel != null) {
            span.setAttribute(RESPONSE_MODEL, responseModel);
        }
        if (inputTokens != null) {
            span.setAttribute(INPUT_TOKENS, inputTokens.longValue());
        }
        if (outputTokens != null) {
            span.setAttribute(OUTPUT_TOKENS, outputTokens.longValue());
        }
        span.end();
    }

    /** Ends the span as a failure of type {@code errorType} (an error class such as {@code TIMEOUT}). */
    public void failed(String errorType, String description) {
        if (ended) {
            return;
        }
        ended = true;
        span.setAttribute(ERROR_TYPE, errorType == null ? "_OTHER" : errorType);
        span.setStatus(StatusCode.ERROR, description == null ? "" : description);
        span.end();
    }

    public boolean ended() {
        return ended;
    }
}
