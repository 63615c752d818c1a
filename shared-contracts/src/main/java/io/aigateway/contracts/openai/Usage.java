package io.aigateway.contracts.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** OpenAI's {@code usage} object (the counted part; provider extras stay in the passed-through body). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                    @JsonProperty("completion_tokens") int completionTokens,
                    @JsonProperty("total_tokens") int totalTokens) {

    /** Reads the {@code usage} member of a response or chunk; null when absent or null. */
    public static Usage from(JsonNode responseOrChunk) {
        if (responseOrChunk == null) {
            return null;
        }
        JsonNode u = responseOrChunk.get("usage");
        if (u == null || !u.isObject()) {
            return null;
        }
        int p = u.path("prompt_tokens").asInt(0);
        int c = u.path("completion_tokens").asInt(0);
        int t = u.has("total_tokens") ? u.get("total_tokens").asInt(p + c) : p + c;
        return new Usage(p, c, t);
    }
}
