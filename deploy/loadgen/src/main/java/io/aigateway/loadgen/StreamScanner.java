package io.aigateway.loadgen;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads one OpenAI-style SSE answer as it arrives ({@code data: {chunk}} lines, {@code data: [DONE]} at a clean end,
 * {@code data: {"error":{…}}} for a failure) and classifies how it ended. Not thread-safe: one per stream, fed from
 * one event loop.
 */
final class StreamScanner {

    /** How a stream ended, as the chaos run counts them. */
    enum Outcome {
        /** {@code [DONE]} after at least one content token, no error chunk. */
        CLEAN,
        /** {@code [DONE]} without any content token. */
        CLEAN_NO_CONTENT,
        /** An error chunk after the first content token (expected only for streams on a provider that died). */
        ERROR_AFTER_FIRST_TOKEN,
        /** A non-200 answer, an error chunk before any content, or no answer at all (connection failed). */
        FAILED_BEFORE_TOKEN,
        /** The stream ended without {@code [DONE]} and without an error chunk: a silent truncation. */
        SILENT_END,
        /** No data for the idle timeout, or still open when the run gave up waiting. */
        HUNG;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean sawContent;
    private boolean sawError;
    private boolean sawDone;

    /** Feeds bytes; returns true when this buffer carried the stream's first content token. */
    boolean feed(Buffer buffer) {
        boolean before = sawContent;
        int n = buffer.length();
        for (int i = 0; i < n; i++) {
            byte b = buffer.getByte(i);
            if (b == '\n') {
                onLine();
                line.reset();
            } else if (b != '\r') {
                line.write(b);
            }
        }
        return !before && sawContent;
    }

    private void onLine() {
        if (line.size() < 5) {
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        if (!text.startsWith("data:")) {
            return; // event:, id:, comments (keep-alives)
        }
        String data = text.substring(5).trim();
        if (data.equals("[DONE]")) {
            sawDone = true;
            return;
        }
        if (sawError || sawDone) {
            return;
        }
        JsonObject chunk;
        try {
            chunk = new JsonObject(data);
        } catch (RuntimeException e) {
            return; // not JSON: ignored, like the SDKs do with unparseable lines
        }
        if (chunk.getValue("error") != null) {
            sawError = true;
        } else if (!sawContent && hasContent(chunk)) {
            sawContent = true;
        }
    }

    private static boolean hasContent(JsonObject chunk) {
        if (!(chunk.getValue("choices") instanceof JsonArray choices)) {
            return false;
        }
        for (int i = 0; i < choices.size(); i++) {
            if (choices.getValue(i) instanceof JsonObject choice && choice.getValue("delta") instanceof JsonObject delta) {
                if (delta.getValue("content") instanceof String s && !s.isEmpty()
                        || delta.getValue("reasoning_content") instanceof String r && !r.isEmpty()
                        || delta.getValue("tool_calls") instanceof JsonArray t && !t.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean sawContent() {
        return sawContent;
    }

    /** The outcome of a 200 stream that ended (normally, or by a transport error; {@code timedOut} for idle). */
    Outcome outcome(boolean timedOut) {
        if (line.size() > 0) { // a last line without its newline
            onLine();
            line.reset();
        }
        if (sawError) {
            return sawContent ? Outcome.ERROR_AFTER_FIRST_TOKEN : Outcome.FAILED_BEFORE_TOKEN;
        }
        if (sawDone) {
            return sawContent ? Outcome.CLEAN : Outcome.CLEAN_NO_CONTENT;
        }
        return timedOut ? Outcome.HUNG : Outcome.SILENT_END;
    }

    /** True when a non-streamed answer's {@code choices[0].message.content} is a non-empty string. */
    static boolean jsonHasContent(Buffer body) {
        try {
            JsonObject json = new JsonObject(body);
            if (json.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
                    && choices.getValue(0) instanceof JsonObject choice
                    && choice.getValue("message") instanceof JsonObject message
                    && message.getValue("content") instanceof String content) {
                return !content.isEmpty();
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
