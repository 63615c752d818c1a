package io.aigateway.edge.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.SseParser;
import io.aigateway.contracts.openai.Chunks;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.edge.chat.ChatCompletionsHandler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Turns routing's OpenAI SSE stream into the native one as it arrives (never buffered whole, back-pressure as the
 * chat relay): {@code event: delta} with {@code {"content":"..."}} per content delta, then {@code event: done} with
 * the answer object without {@code content} (usage from the usage chunk, cost from routing's trailer). An error
 * envelope from routing mid-stream, or a broken stream, ends it with {@code event: error} and the envelope. A client
 * that goes away cancels the call (ChatCompletionsHandler#reserveAndCall): routing settles quota and usage.
 */
final class GenerateStream {

    private static final Logger LOG = Logger.getLogger(GenerateStream.class);
    private static final String BROKEN = "{\"error\":{\"message\":\"The stream from the gateway's routing service "
            + "broke off.\",\"type\":\"api_error\",\"param\":null,\"code\":\"stream_interrupted\"}}";

    private final RoutingContext rc;
    private final HttpClientResponse in;
    private final ObjectMapper mapper;
    private final GenerateAnswer answer;
    private final long startNanos;
    private final SseParser parser = new SseParser();
    private int commentsSeen;
    private boolean finished;

    GenerateStream(RoutingContext rc, HttpClientResponse in, ObjectMapper mapper, GenerateAnswer answer,
                   long startNanos) {
        this.rc = rc;
        this.in = in;
        this.mapper = mapper;
        this.answer = answer;
        this.startNanos = startNanos;
    }

    void start() {
        HttpServerResponse out = rc.response();
        if (out.closed() || out.ended()) {
            return;
        }
        out.setStatusCode(200);
        ChatCompletionsHandler.copyRelayedHeaders(in, out, startNanos);
        out.putHeader("content-type", "text/event-stream; charset=utf-8");
        out.putHeader("cache-control", "no-cache");
        out.putHeader("x-accel-buffering", "no");
        out.setChunked(true);
        in.handler(this::onData);
        in.endHandler(v -> onEnd());
        in.exceptionHandler(this::onError);
        out.drainHandler(v -> in.resume());
        out.write(Buffer.buffer());
    }

    private void onData(Buffer buf) {
        HttpServerResponse out = rc.response();
        if (finished || out.closed() || out.ended()) {
            return;
        }
        Buffer rendered = render(parser.feed(buf.getBytes()));
        if (rendered == null && parser.comments() > commentsSeen) {
            rendered = Buffer.buffer(":\n\n");
        }
        commentsSeen = parser.comments();
        if (finished) {
            out.end(rendered != null ? rendered : Buffer.buffer());
            return;
        }
        if (rendered != null) {
            out.write(rendered);
            if (out.writeQueueFull()) {
                in.pause();
            }
        }
    }

    private void onEnd() {
        HttpServerResponse out = rc.response();
        if (finished || out.closed() || out.ended()) {
            return;
        }
        Buffer rest = render(parser.finish());
        Buffer b = rest != null ? rest : Buffer.buffer();
        if (!finished) {
            answer.cost(in.trailers().get(AigwHeaders.COST_USD));
            b.appendString(SseParser.format("done", json(answer.toJson(false))));
            finished = true;
        }
        out.end(b);
    }

    private void onError(Throwable t) {
        HttpServerResponse out = rc.response();
        if (finished || out.closed() || out.ended()) {
            return;
        }
        finished = true;
        LOG.warnf("Stream from routing-service failed: %s", LogSafe.escape(t));
        out.end(SseParser.format("error", BROKEN));
    }

    /** The native events for routing's events; sets {@link #finished} on an error envelope (the last event). */
    private Buffer render(List<SseParser.Event> events) {
        Buffer b = null;
        for (SseParser.Event e : events) {
            if (finished) {
                break;
            }
            if (e.event() != null || Chunks.DONE.equals(e.data())) {
                continue;
            }
            JsonNode chunk;
            try {
                chunk = mapper.readTree(e.data());
            } catch (Exception ex) {
                continue;
            }
            if (chunk == null || !chunk.isObject()) {
                continue;
            }
            String line = null;
            if (chunk.has("error")) {
                finished = true;
                line = SseParser.format("error", e.data());
            } else {
                if (chunk.path("usage").isObject()) {
                    answer.usage(chunk.get("usage"));
                }
                JsonNode c = chunk.path("choices").path(0).path("delta").path("content");
                if (c.isTextual() && !c.textValue().isEmpty()) {
                    line = SseParser.format("delta", json(JsonNodeFactory.instance.objectNode()
                            .put("content", c.textValue())));
                }
            }
            if (line != null) {
                if (b == null) {
                    b = Buffer.buffer(line.length() + 16);
                }
                b.appendString(line);
            }
        }
        return b;
    }

    private String json(JsonNode node) {
        return GenerateAnswer.write(mapper, node).toString();
    }
}
