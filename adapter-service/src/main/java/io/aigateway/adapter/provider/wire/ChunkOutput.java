package io.aigateway.adapter.provider.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where a {@link StreamTranslator} puts what one frame became. */
public interface ChunkOutput {

    /** One OpenAI chunk: the JSON text relayed to the client, and its tree (read, never changed). */
    void chunk(String json, JsonNode chunk);

    /** A chunk built by an {@link OpenAiChunkBuilder}. */
    default void chunk(ObjectNode chunk) {
        chunk(chunk.toString(), chunk);
    }

    /** The provider reported an error inside the stream: its error object ({@code message}, {@code type}, {@code code}). */
    void error(JsonNode error);
}
