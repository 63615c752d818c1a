package io.aigateway.adapter.provider.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.aigateway.contracts.openai.Usage;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * Reads the {@code usage} of an OpenAI {@code chat.completion} body in one streaming pass, without building the
 * rest of the tree: the body is relayed byte for byte, so only its counts are needed. The whole body is still
 * tokenised, so malformed JSON is still caught.
 */
final class CompletionUsageReader {

    private final ObjectMapper mapper;

    CompletionUsageReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @return the body's usage, or null when it has none
     * @throws IOException when the body is not a JSON object
     */
    Usage usage(Buffer body) throws IOException {
        Usage usage = null;
        try (JsonParser p = mapper.createParser(body.getBytes())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT && "usage".equals(name)) {
                    JsonNode u = p.readValueAsTree();
                    usage = Usage.from(JsonNodeFactory.instance.objectNode().set("usage", u));
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new IOException("truncated JSON object");
            }
        }
        return usage;
    }
}
