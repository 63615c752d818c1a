package io.aigateway.support.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.MultiMap;

/**
 * The few tracing helpers every service shares (OpenTelemetry API only; each service brings the SDK with
 * quarkus-opentelemetry). Span and attribute names are in docs/architecture.md, "Observability".
 */
public final class Traces {

    /** The request ID on each service's server span. */
    public static final String REQUEST_ID = "aigw.request.id";
    /** MDC keys besides requestId (set by RequestIdFilter) and traceId/spanId (set by Quarkus OpenTelemetry). */
    public static final String MDC_USER_ID = "userId";
    public static final String MDC_PROVIDER = "provider";
    public static final String MDC_MODEL = "model";

    private static final String VERSION = "00";
    private static final TextMapSetter<MultiMap> HEADERS = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.set(key, value);
        }
    };

    private Traces() {
    }

    /** The current trace id (32 hex), or null when there is no valid span (tracing off, no request). */
    public static String currentTraceId() {
        SpanContext sc = Span.current().getSpanContext();
        return sc.isValid() ? sc.getTraceId() : null;
    }

    /**
     * Writes W3C {@code traceparent} (and {@code tracestate} when there is one) of {@code context}'s span into
     * {@code headers}; nothing when there is no valid span. Replaces a {@code traceparent} already there.
     */
    public static void inject(Context context, MultiMap headers) {
        SpanContext sc = Span.fromContext(context).getSpanContext();
        if (!sc.isValid()) {
            return;
        }
        io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance().inject(context, headers, HEADERS);
    }

    /** The {@code traceparent} value of a span context (for tests and logs). */
    public static String traceparent(SpanContext sc) {
        return VERSION + "-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex();
    }
}
