package io.aigateway.routing.pipeline;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * One item of a streamed answer. {@link Kind#DATA} is one {@code data:} payload as received (relayed, never
 * re-parsed); the stream then ends with exactly one {@link Kind#END} (the provider finished: {@code [DONE]}, with the
 * {@link ChatOutcome}) or {@link Kind#FAILED} (the provider failed mid-stream: an error envelope as the last event).
 */
public record ChatChunk(Kind kind, String data, ChatOutcome outcome) {

    public enum Kind { DATA, END, FAILED }

    private static final byte[] PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUFFIX = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    public static ChatChunk data(String data) {
        return new ChatChunk(Kind.DATA, data, null);
    }

    public static ChatChunk end(ChatOutcome outcome) {
        return new ChatChunk(Kind.END, null, outcome);
    }

    public static ChatChunk failed(String errorEnvelopeJson) {
        return new ChatChunk(Kind.FAILED, errorEnvelopeJson, null);
    }

    public boolean last() {
        return kind != Kind.DATA;
    }

    /** The SSE bytes for the client. */
    public Buffer frame() {
        if (kind == Kind.END) {
            return Buffer.buffer(DONE);
        }
        byte[] payload = data.getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer(payload.length + PREFIX.length + SUFFIX.length)
                .appendBytes(PREFIX).appendBytes(payload).appendBytes(SUFFIX);
    }
}
