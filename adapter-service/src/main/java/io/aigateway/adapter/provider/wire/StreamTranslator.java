package io.aigateway.adapter.provider.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.adapter.provider.transport.StreamFrame;

/**
 * Turns one stream's frames into OpenAI chunks. Frames whose data is blank, {@code [DONE]} or not a JSON
 * object never reach it (the adapter drops the first two and reports the last as a malformed answer).
 */
@FunctionalInterface
public interface StreamTranslator {

    /** One frame, its data parsed: zero or more chunks (or one error) into {@code out}. */
    void translate(StreamFrame frame, ObjectNode data, ChunkOutput out);
}
