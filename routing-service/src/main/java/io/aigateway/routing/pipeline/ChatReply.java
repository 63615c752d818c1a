package io.aigateway.routing.pipeline;

import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A successful answer: the {@code x-aigw-*} response headers, and either the JSON body as the adapter sent it
 * (bytes relayed untouched) with its {@link ChatOutcome}, or the stream of {@link ChatChunk}s. Decorators add headers
 * ({@link #header}) and may wrap the stream ({@link #mapChunks}). Used from the request's context only.
 */
public final class ChatReply {

    private final Map<String, String> headers;
    private final Buffer body;
    private final ChatOutcome outcome;
    private Multi<ChatChunk> chunks;

    private ChatReply(Map<String, String> headers, Buffer body, ChatOutcome outcome, Multi<ChatChunk> chunks) {
        this.headers = headers;
        this.body = body;
        this.outcome = outcome;
        this.chunks = chunks;
    }

    public static ChatReply json(Map<String, String> headers, Buffer body, ChatOutcome outcome) {
        return new ChatReply(new LinkedHashMap<>(headers), body, outcome, null);
    }

    public static ChatReply stream(Map<String, String> headers, Multi<ChatChunk> chunks) {
        return new ChatReply(new LinkedHashMap<>(headers), null, null, chunks);
    }

    public boolean isStream() {
        return chunks != null;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String header(String name) {
        return headers.get(name);
    }

    public ChatReply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The JSON body (null for a stream). */
    public Buffer body() {
        return body;
    }

    /** Who answered a JSON request and its usage (null for a stream: it comes with {@link ChatChunk.Kind#END}). */
    public ChatOutcome outcome() {
        return outcome;
    }

    /** The stream (null for JSON): subscribe once. */
    public Multi<ChatChunk> chunks() {
        return chunks;
    }

    public ChatReply mapChunks(UnaryOperator<Multi<ChatChunk>> wrap) {
        if (chunks != null) {
            chunks = wrap.apply(chunks);
        }
        return this;
    }
}
