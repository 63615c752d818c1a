package io.aigateway.adapter.chat;

import io.aigateway.support.tracing.GenAiSpan;

import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.ChunkSink;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.openai.Chunks;
import io.aigateway.contracts.openai.Usage;
import io.aigateway.contracts.usage.StreamUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Writes one provider stream to routing as SSE (docs/internal-contracts.md): {@code data: {chunk}} per
 * chunk as it arrives, then {@code event: aigw-usage} and {@code data: [DONE]}; a failure after the
 * first chunk is {@code event: aigw-error} then the end. The 200 is committed only with the first chunk,
 * so a failure before any data is still a plain non-2xx {@link ProviderError} answer.
 */
final class StreamRelay implements ChunkSink {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE_EVENT = ("event: " + AigwHeaders.EVENT_USAGE + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_EVENT = ("event: " + AigwHeaders.EVENT_ERROR + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = ("data: " + Chunks.DONE + "\n\n").getBytes(StandardCharsets.US_ASCII);

    private final ChatRoute route;
    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final ProviderAdapter adapter;
    private final ChatCall call;
    private final GenAiSpan span;
    private final long started = System.nanoTime();
    private boolean committed;
    private boolean done;
    private Long ttftMs;

    StreamRelay(ChatRoute route, RoutingContext ctx, ProviderAdapter adapter, ChatCall call, GenAiSpan span) {
        this.route = route;
        this.span = span;
        this.ctx = ctx;
        this.response = ctx.response();
        this.adapter = adapter;
        this.call = call;
    }

    boolean done() {
        return done;
    }

    /** Routing closed the connection: count it, write nothing. */
    void clientGone() {
        done = true;
        span.failed("CANCELLED", "routing went away");
    }

    private boolean writable() {
        return !response.ended() && !response.closed();
    }

    private void commit() {
        committed = true;
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader(AigwHeaders.REQUEST_ID, call.requestId());
    }

    @Override
    public void chunk(String json, boolean hasContent) {
        if (done || !writable()) {
            return;
        }
        if (!committed) {
            commit();
        }
        if (hasContent && ttftMs == null) {
            ttftMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        }
        if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
            response.write(io.aigateway.contracts.internal.SseParser.format(null, json));
            return;
        }
        Buffer b = Buffer.buffer(json.length() + 10).appendBytes(DATA).appendString(json).appendBytes(END);
        response.write(b);
    }

    @Override
    public boolean writeQueueFull() {
        return writable() && response.writeQueueFull();
    }

    @Override
    public void drainHandler(Runnable resume) {
        response.drainHandler(v -> resume.run());
    }

    @Override
    public void complete(Usage usage, boolean usageEstimated) {
        if (done) {
            return;
        }
        done = true;
        span.succeeded(call.model().id(), usage.promptTokens(), usage.completionTokens());
        route.metrics().record(adapter.id(), true, null, System.nanoTime() - started);
        if (!writable()) {
            return;
        }
        if (!committed) {
            commit();
        }
        StreamUsage su = new StreamUsage(usage.promptTokens(), usage.completionTokens(),
                adapter.estimateCost(call.model(), usage.promptTokens(), usage.completionTokens()), usageEstimated, ttftMs);
        byte[] json = route.write(su);
        Buffer tail = Buffer.buffer(json.length + 48).appendBytes(USAGE_EVENT).appendBytes(json).appendBytes(END)
                .appendBytes(DONE);
        response.end(tail);
    }

    @Override
    public void error(ProviderError error) {
        if (done) {
            return;
        }
        done = true;
        ChatRoute.failed(span, error);
        route.metrics().record(adapter.id(), true, error.errorClass(), System.nanoTime() - started);
        route.logFailure(call.requestId(), error);
        if (!committed) {
            route.sendError(ctx, call.requestId(), error);
            return;
        }
        if (!writable()) {
            return;
        }
        byte[] json = route.write(error);
        response.end(Buffer.buffer(json.length + 32).appendBytes(ERROR_EVENT).appendBytes(json).appendBytes(END));
    }
}
