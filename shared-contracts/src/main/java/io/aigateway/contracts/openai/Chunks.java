package io.aigateway.contracts.openai;

import com.fasterxml.jackson.databind.JsonNode;

/** Facts about OpenAI stream chunks that more than one hop needs. */
public final class Chunks {

    /** The SSE data line that ends an OpenAI stream (the Node SDK needs exactly this). */
    public static final String DONE = "[DONE]";

    private Chunks() {
    }

    /** The usage chunk: {@code choices: []} (or absent) with a non-null {@code usage}. */
    public static boolean isUsageChunk(JsonNode chunk) {
        JsonNode usage = chunk.get("usage");
        if (usage == null || usage.isNull()) {
            return false;
        }
        JsonNode choices = chunk.get("choices");
        return choices == null || (choices.isArray() && choices.isEmpty());
    }

    /**
     * Whether a chunk carries content the client must see: a content, reasoning or tool-call delta,
     * or a finish reason. A role-only chunk does not count (docs/architecture.md, "The hot path of one request").
     */
    public static boolean hasContent(JsonNode chunk) {
        JsonNode choices = chunk.get("choices");
        if (choices == null || !choices.isArray()) {
            return false;
        }
        for (JsonNode choice : choices) {
            JsonNode delta = choice.get("delta");
            if (delta != null) {
                if (nonEmptyText(delta.get("content")) || nonEmptyText(delta.get("reasoning_content"))
                        || nonEmptyText(delta.get("refusal"))) {
                    return true;
                }
                JsonNode tc = delta.get("tool_calls");
                if (tc != null && tc.isArray() && !tc.isEmpty()) {
                    return true;
                }
            }
            JsonNode fr = choice.get("finish_reason");
            if (fr != null && !fr.isNull()) {
                return true;
            }
        }
        return false;
    }

    private static boolean nonEmptyText(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isEmpty();
    }
}
