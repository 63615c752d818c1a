package io.aigateway.edge.chat;

import io.aigateway.contracts.text.LogSafe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.SseParser;
import io.aigateway.contracts.openai.Chunks;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Relays one SSE stream from routing to the client event by event as it arrives (never buffered whole),
 * in OpenAI's framing {@code data: <json>\n\n}. Drops the usage chunk unless the client asked for it and
 * any named event (none should leave routing). Honours back-pressure from a slow client.
 */
final class SseRelay {

    private static final Logger LOG = Logger.getLogger(SseRelay.class);
    private static final String DONE_LINE = "data: " + Chunks.DONE + "\n\n";
    private static final String BROKEN_STREAM = "data: {\"error\":{\"message\":\"The stream from the gateway's "
            + "routing service broke off.\",\"type\":\"api_error\",\"param\":null,\"code\":\"stream_interrupted\"}}\n\n";

    private final RoutingContext rc;
    private final HttpClientResponse in;
    private final boolean includeUsage;
    private final ObjectMapper mapper;
    private final long startNanos;
    private final SseParser parser = new SseParser();
    private int commentsSeen;

    SseRelay(RoutingContext rc, HttpClientResponse in, boolean includeUsage, ObjectMapper mapper, long startNanos) {
        this.rc = rc;
        this.in = in;
        this.includeUsage = includeUsage;
        this.mapper = mapper;
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
        // Send the head right away: the client sees 200 and the headers before the first chunk.
        out.write(Buffer.buffer());
    }

    private void onData(Buffer buf) {
        HttpServerResponse out = rc.response();
        if (out.closed() || out.ended()) {
            return;
        }
        Buffer rendered = render(parser.feed(buf.getBytes()));
        if (rendered == null && parser.comments() > commentsSeen) {
            rendered = Buffer.buffer(":\n\n"); // keep-alive through to the client
        }
        commentsSeen = parser.comments();
        if (rendered != null) {
            out.write(rendered);
            if (out.writeQueueFull()) {
                in.pause();
            }
        }
    }

    private void onEnd() {
        HttpServerResponse out = rc.response();
        if (out.closed() || out.ended()) {
            return;
        }
        Buffer rest = render(parser.finish());
        if (rest != null) {
            out.end(rest);
        } else {
            out.end();
        }
    }

    private void onError(Throwable t) {
        HttpServerResponse out = rc.response();
        if (out.closed() || out.ended()) {
            return;
        }
        LOG.warnf("Stream from routing-service failed: %s", LogSafe.escape(t));
        out.end(BROKEN_STREAM);
    }

    private Buffer render(List<SseParser.Event> events) {
        if (events.isEmpty()) {
            return null;
        }
        Buffer b = null;
        for (SseParser.Event e : events) {
            if (e.event() != null) {
                LOG.debugf("Dropped a named SSE event '%s' from routing", LogSafe.escape(e.event()));
                continue;
            }
            String data = e.data();
            String line;
            if (Chunks.DONE.equals(data)) {
                line = DONE_LINE;
            } else {
                if (!includeUsage && mayBeUsageChunk(data) && isUsageChunk(data)) {
                    continue;
                }
                line = data.indexOf('\n') < 0 ? "data: " + data + "\n\n" : SseParser.format(null, data);
            }
            if (b == null) {
                b = Buffer.buffer(line.length() + 16);
            }
            b.appendString(line);
        }
        return b;
    }

    /**
     * Cheap pre-check so that ordinary chunks ({@code "usage":null}) are not parsed: true only when some
     * {@code "usage"} key is followed by an object.
     */
    static boolean mayBeUsageChunk(String data) {
        int from = 0;
        while (true) {
            int i = data.indexOf("\"usage\"", from);
            if (i < 0) {
                return false;
            }
            int j = i + 7;
            while (j < data.length() && Character.isWhitespace(data.charAt(j))) {
                j++;
            }
            if (j < data.length() && data.charAt(j) == ':') {
                j++;
                while (j < data.length() && Character.isWhitespace(data.charAt(j))) {
                    j++;
                }
                if (j < data.length() && data.charAt(j) == '{') {
                    return true;
                }
            }
            from = i + 7;
        }
    }

    private boolean isUsageChunk(String data) {
        try {
            JsonNode node = mapper.readTree(data);
            return node != null && node.isObject() && Chunks.isUsageChunk(node);
        } catch (Exception ex) {
            return false;
        }
    }
}
