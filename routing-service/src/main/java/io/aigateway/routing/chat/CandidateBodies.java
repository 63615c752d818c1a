package io.aigateway.routing.chat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The adapter bodies of one request, one per candidate, which differ only in {@code model}: the request is written
 * once without {@code model} (and without its closing brace), and each candidate's body is those bytes plus
 * {@code "model":"<id>"}. The parsed request is never changed. Not thread-safe: one per request.
 */
final class CandidateBodies {

    private static final byte[] MODEL_FIELD = "\"model\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ObjectMapper mapper;
    private final ObjectNode request;
    private byte[] head;
    private boolean hasFields;

    CandidateBodies(ObjectMapper mapper, ObjectNode request) {
        this.mapper = mapper;
        this.request = request;
    }

    /** The request with {@code model} set to {@code modelId} (a fresh buffer: each send owns its own). */
    Buffer forModel(String modelId) {
        if (head == null) {
            writeHead();
        }
        byte[] model;
        try {
            model = mapper.writeValueAsBytes(modelId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Buffer b = Buffer.buffer(head.length + MODEL_FIELD.length + model.length + 2).appendBytes(head);
        if (hasFields) {
            b.appendByte((byte) ',');
        }
        return b.appendBytes(MODEL_FIELD).appendBytes(model).appendByte((byte) '}');
    }

    private void writeHead() {
        try (ByteArrayBuilder out = new ByteArrayBuilder(512)) {
            JsonGenerator g = mapper.getFactory().createGenerator(out);
            g.writeStartObject();
            Iterator<Map.Entry<String, JsonNode>> it = request.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!"model".equals(e.getKey())) {
                    g.writeFieldName(e.getKey());
                    mapper.writeTree(g, e.getValue());
                    hasFields = true;
                }
            }
            // flushed, not closed: closing would write the object's end, which comes after model
            g.flush();
            head = out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
