package io.aigateway.routing.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Replays a stored {@code chat.completion} as an OpenAI stream: per choice a role chunk, a content
 * chunk (content, reasoning, refusal, tool calls with their full arguments), a finish chunk; then the
 * usage chunk when the client asked for it ({@code stream_options.include_usage}). The caller ends
 * with {@code data: [DONE]}.
 */
public final class SseReplay {

    private SseReplay() {
    }

    /** The {@code data:} payloads, in order (without {@code [DONE]}). */
    public static List<String> chunks(ObjectMapper mapper, JsonNode completion, boolean includeUsage) throws Exception {
        List<String> out = new ArrayList<>(8);
        JsonNode choices = completion.path("choices");
        for (JsonNode c : choices) {
            int index = c.path("index").asInt(0);
            JsonNode m = c.path("message");
            ObjectNode role = base(mapper, completion);
            ObjectNode rd = delta(role, index);
            rd.put("role", m.path("role").isTextual() ? m.get("role").textValue() : "assistant");
            rd.put("content", "");
            out.add(mapper.writeValueAsString(role));

            ObjectNode content = base(mapper, completion);
            ObjectNode cd = delta(content, index);
            boolean any = false;
            if (m.path("content").isTextual() && !m.get("content").textValue().isEmpty()) {
                cd.put("content", m.get("content").textValue());
                any = true;
            }
            for (String extra : new String[] {"reasoning_content", "refusal"}) {
                if (m.path(extra).isTextual()) {
                    cd.put(extra, m.get(extra).textValue());
                    any = true;
                }
            }
            JsonNode tools = m.get("tool_calls");
            if (tools != null && tools.isArray() && !tools.isEmpty()) {
                ArrayNode arr = cd.putArray("tool_calls");
                int i = 0;
                for (JsonNode t : tools) {
                    ObjectNode tc = arr.addObject();
                    tc.put("index", i++);
                    if (t.has("id")) {
                        tc.set("id", t.get("id"));
                    }
                    tc.put("type", t.path("type").isTextual() ? t.get("type").textValue() : "function");
                    if (t.has("function")) {
                        tc.set("function", t.get("function"));
                    }
                }
                any = true;
            }
            if (any) {
                out.add(mapper.writeValueAsString(content));
            }

            ObjectNode finish = base(mapper, completion);
            delta(finish, index);
            ((ObjectNode) finish.get("choices").get(0)).set("finish_reason", c.path("finish_reason").isTextual()
                    ? c.get("finish_reason") : mapper.getNodeFactory().textNode("stop"));
            out.add(mapper.writeValueAsString(finish));
        }
        JsonNode usage = completion.get("usage");
        if (includeUsage && usage != null && usage.isObject()) {
            ObjectNode u = base(mapper, completion);
            u.putArray("choices");
            u.set("usage", usage);
            out.add(mapper.writeValueAsString(u));
        }
        return out;
    }

    private static ObjectNode base(ObjectMapper mapper, JsonNode completion) {
        ObjectNode n = mapper.createObjectNode();
        n.put("id", completion.path("id").asText("chatcmpl-cached"));
        n.put("object", "chat.completion.chunk");
        n.put("created", completion.path("created").asLong(0));
        n.put("model", completion.path("model").asText(""));
        if (completion.path("system_fingerprint").isTextual()) {
            n.set("system_fingerprint", completion.get("system_fingerprint"));
        }
        return n;
    }

    /** Adds {@code choices:[{index, delta:{}, finish_reason:null}]} and returns the delta. */
    private static ObjectNode delta(ObjectNode chunk, int index) {
        ObjectNode c = chunk.putArray("choices").addObject();
        c.put("index", index);
        ObjectNode d = c.putObject("delta");
        c.putNull("finish_reason");
        return d;
    }
}
