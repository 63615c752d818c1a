package io.aigateway.fake.control;

/**
 * Effective behaviour knobs for one call (upstream defaults overlaid with the model's overrides).
 *
 * @param latencyMs    delay before the response starts (headers for streams, the whole answer otherwise)
 * @param ttftMs       streams only: delay between the first (role) chunk and the first content chunk
 * @param chunkDelayMs streams only: delay between two content chunks
 * @param chunks       streams only: number of content chunks (= completion tokens)
 * @param errorRate    probability (0..1) that the call fails with {@code errorStatus}
 * @param errorStatus  HTTP status of injected errors
 * @param errorBody    raw body of injected errors; {@code null} = an OpenAI-style envelope for the status
 * @param outage       accept the request, then close the connection without answering
 * @param streamErrorAfter streams only: after this many content chunks send an error event
 *                     ({@code data: {"error":{...}}}) and end the stream without {@code [DONE]}; -1 = never
 * @param streamDropAfter  streams only: after this many content chunks close the connection; -1 = never
 */
public record Settings(long latencyMs, long ttftMs, long chunkDelayMs, int chunks, double errorRate,
                       int errorStatus, String errorBody, boolean outage, int streamErrorAfter,
                       int streamDropAfter) {

    public static final Settings DEFAULTS = new Settings(0, 0, 0, 5, 0.0, 500, null, false, -1, -1);

    /** Applies the non-null fields of {@code o} over this. */
    public Settings overlay(Overrides o) {
        if (o == null || o.isEmpty()) {
            return this;
        }
        return new Settings(
                o.latencyMs() != null ? o.latencyMs() : latencyMs,
                o.ttftMs() != null ? o.ttftMs() : ttftMs,
                o.chunkDelayMs() != null ? o.chunkDelayMs() : chunkDelayMs,
                o.chunks() != null ? o.chunks() : chunks,
                o.errorRate() != null ? o.errorRate() : errorRate,
                o.errorStatus() != null ? o.errorStatus() : errorStatus,
                o.errorBody() != null ? o.errorBody() : errorBody,
                o.outage() != null ? o.outage() : outage,
                o.streamErrorAfter() != null ? o.streamErrorAfter() : streamErrorAfter,
                o.streamDropAfter() != null ? o.streamDropAfter() : streamDropAfter);
    }
}
