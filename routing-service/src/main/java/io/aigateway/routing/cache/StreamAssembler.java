package io.aigateway.routing.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the {@code chat.completion} of a streamed answer from its OpenAI chunks: content, reasoning,
 * refusal, tool calls (merged by index: id, type, name, concatenated arguments), finish reasons and the
 * usage chunk. Used from one event-loop context (the relay's).
 */
public final class StreamAssembler {

    private static final class Choice {
        String role;
        final StringBuilder content = new StringBuilder();
        boolean hasContent;
        StringBuilder reasoning;
        StringBuilder refusal;
        final Map<Integer, ObjectNode> tools = new TreeMap<>();
        String finishReason;
    }

    private final ObjectMapper mapper;
    private final int maxChars;
    private final Map<Integer, Choice> choices = new TreeMap<>();
    private String id;
    private long created;
    private String model;
    private String systemFingerprint;
    private JsonNode usage;
    private long chars;
    private boolean broken;

    public StreamAssembler(ObjectMapper mapper, int maxChars) {
        this.mapper = mapper;
        this.maxChars = maxChars;
    }

    /** One {@code data:} payload (not {@code [DONE]}). */
    public void add(String data) {
        if (broken) {
            return;
        }
        chars += data.length();
        if (chars > maxChars) {
            broken = true; // too big to store anyway: stop assembling
            choices.clear();
            return;
        }
        JsonNode chunk;
        try {
            chunk = mapper.readTree(data);
        } catch (Exception e) {
            broken = true;
            return;
        }
        if (chunk.has("error")) {
            broken = true;
            return;
        }
        if (id == null && chunk.path("id").isTextual()) {
            id = chunk.get("id").textValue();
        }
        if (created == 0 && chunk.path("created").canConvertToLong()) {
            created = chunk.get("created").longValue();
        }
        if (model == null && chunk.path("model").isTextual()) {
            model = chunk.get("model").textValue();
        }
        if (systemFingerprint == null && chunk.path("system_fingerprint").isTextual()) {
            systemFingerprint = chunk.get("system_fingerprint").textValue();
        }
        JsonNode u = chunk.get("usage");
        if (u != null && u.isObject()) {
            usage = u;
        }
        JsonNode cs = chunk.get("choices");
        if (cs == null || !cs.isArray()) {
            return;
        }
        for (JsonNode c : cs) {
            int index = c.path("index").asInt(0);
            Choice ch = choices.computeIfAbsent(index, i -> new Choice());
            JsonNode delta = c.get("delta");
            if (delta != null && delta.isObject()) {
                if (delta.path("role").isTextual()) {
                    ch.role = delta.get("role").textValue();
                }
                if (delta.path("content").isTextual()) {
                    ch.content.append(delta.get("content").textValue());
                    ch.hasContent = true;
                }
                if (delta.path("reasoning_content").isTextual()) {
                    (ch.reasoning == null ? ch.reasoning = new StringBuilder() : ch.reasoning)
                            .append(delta.get("reasoning_content").textValue());
                }
                if (delta.path("refusal").isTextual()) {
                    (ch.refusal == null ? ch.refusal = new StringBuilder() : ch.refusal)
                            .append(delta.get("refusal").textValue());
                }
                JsonNode tcs = delta.get("tool_calls");
                if (tcs != null && tcs.isArray()) {
                    for (JsonNode tc : tcs) {
                        mergeTool(ch, tc);
                    }
                }
            }
            JsonNode fr = c.get("finish_reason");
            if (fr != null && fr.isTextual()) {
                ch.finishReason = fr.textValue();
            }
        }
    }

    private void mergeTool(Choice ch, JsonNode tc) {
        int index = tc.path("index").asInt(ch.tools.size());
        ObjectNode t = ch.tools.computeIfAbsent(index, i -> {
            ObjectNode n = mapper.createObjectNode();
            n.putObject("function").put("name", "").put("arguments", "");
            return n;
        });
        if (tc.path("id").isTextual()) {
            t.put("id", tc.get("id").textValue());
        }
        if (tc.path("type").isTextual()) {
            t.put("type", tc.get("type").textValue());
        }
        JsonNode f = tc.get("function");
        if (f != null && f.isObject()) {
            ObjectNode tf = (ObjectNode) t.get("function");
            if (f.path("name").isTextual()) {
                tf.put("name", tf.get("name").textValue() + f.get("name").textValue());
            }
            if (f.path("arguments").isTextual()) {
                tf.put("arguments", tf.get("arguments").textValue() + f.get("arguments").textValue());
            }
        }
    }

    /** The assembled {@code chat.completion}, or null when the stream was unusable. */
    public ObjectNode completion() {
        if (broken || choices.isEmpty()) {
            return null;
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("id", id == null ? "chatcmpl-cached" : id);
        out.put("object", "chat.completion");
        out.put("created", created);
        if (model != null) {
            out.put("model", model);
        }
        if (systemFingerprint != null) {
            out.put("system_fingerprint", systemFingerprint);
        }
        ArrayNode arr = out.putArray("choices");
        for (Map.Entry<Integer, Choice> e : choices.entrySet()) {
            Choice ch = e.getValue();
            ObjectNode c = arr.addObject();
            c.put("index", e.getKey());
            ObjectNode m = c.putObject("message");
            m.put("role", ch.role == null ? "assistant" : ch.role);
            if (ch.hasContent || ch.tools.isEmpty()) {
                m.put("content", ch.content.toString());
            } else {
                m.putNull("content");
            }
            if (ch.reasoning != null) {
                m.put("reasoning_content", ch.reasoning.toString());
            }
            if (ch.refusal != null) {
                m.put("refusal", ch.refusal.toString());
            }
            if (!ch.tools.isEmpty()) {
                ArrayNode tools = m.putArray("tool_calls");
                for (ObjectNode t : ch.tools.values()) {
                    if (!t.has("type")) {
                        t.put("type", "function");
                    }
                    tools.add(t);
                }
            }
            if (ch.finishReason == null) {
                c.putNull("finish_reason");
            } else {
                c.put("finish_reason", ch.finishReason);
            }
        }
        if (usage != null) {
            out.set("usage", usage);
        }
        return out;
    }
}
