package io.aigateway.adapter.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.adapter.provider.UnsupportedRequestException;
import io.aigateway.adapter.provider.transport.StreamFrame;
import io.aigateway.adapter.provider.wire.ChunkOutput;
import io.aigateway.adapter.provider.wire.OpenAiChunkBuilder;
import io.aigateway.adapter.provider.wire.StreamTranslator;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * OpenAI chat ⇄ Anthropic Messages (PROVIDERS.md "Anthropic Messages"; docs.anthropic.com "Messages",
 * "Streaming Messages", "Errors"). System and developer messages become {@code system}; tool calls become
 * {@code tool_use} blocks, tool results {@code tool_result} blocks in a user turn; images become base64 or
 * URL image sources; {@code max_tokens} (required by Anthropic) defaults to the configured value. Fields
 * Anthropic rejects (unknown ones) are not forwarded; {@code response_format} and {@code n > 1} are a 400.
 */
final class AnthropicTranslator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ObjectMapper mapper;
    private final int defaultMaxTokens;

    AnthropicTranslator(ObjectMapper mapper, int defaultMaxTokens) {
        this.mapper = mapper;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    // ---- request -------------------------------------------------------------------------------

    byte[] request(JsonNode in, boolean stream) throws IOException {
        ObjectNode out = F.objectNode();
        out.put("model", in.path("model").asText());
        JsonNode max = in.has("max_completion_tokens") ? in.get("max_completion_tokens") : in.get("max_tokens");
        out.put("max_tokens", max != null && max.isNumber() ? max.asInt() : defaultMaxTokens);
        StringBuilder system = new StringBuilder();
        ArrayNode messages = out.putArray("messages");
        ObjectNode pendingToolResults = null;
        for (JsonNode m : in.path("messages")) {
            String role = m.path("role").asText();
            switch (role) {
                case "system", "developer" -> {
                    if (system.length() > 0) {
                        system.append("\n\n");
                    }
                    system.append(text(m.get("content")));
                }
                case "tool" -> {
                    if (pendingToolResults == null) {
                        pendingToolResults = messages.addObject();
                        pendingToolResults.put("role", "user");
                        pendingToolResults.putArray("content");
                    }
                    ObjectNode result = ((ArrayNode) pendingToolResults.get("content")).addObject();
                    result.put("type", "tool_result");
                    result.put("tool_use_id", m.path("tool_call_id").asText());
                    result.put("content", text(m.get("content")));
                }
                case "user", "assistant" -> {
                    pendingToolResults = null;
                    ObjectNode msg = messages.addObject();
                    msg.put("role", role);
                    msg.set("content", content(m, "assistant".equals(role)));
                }
                default -> throw new UnsupportedRequestException("Anthropic does not support messages with role '" + role + "'");
            }
        }
        if (system.length() > 0) {
            out.put("system", system.toString());
        }
        copyNumber(in, out, "temperature", "temperature");
        copyNumber(in, out, "top_p", "top_p");
        copyNumber(in, out, "top_k", "top_k");
        JsonNode stop = in.get("stop");
        if (stop != null && stop.isTextual()) {
            out.putArray("stop_sequences").add(stop.asText());
        } else if (stop != null && stop.isArray()) {
            out.set("stop_sequences", stop);
        }
        JsonNode tools = in.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            ArrayNode t = out.putArray("tools");
            for (JsonNode tool : tools) {
                JsonNode fn = tool.path("function");
                ObjectNode at = t.addObject();
                at.put("name", fn.path("name").asText());
                if (fn.has("description")) {
                    at.set("description", fn.get("description"));
                }
                at.set("input_schema", fn.has("parameters") ? fn.get("parameters") : F.objectNode().put("type", "object"));
            }
            JsonNode choice = in.get("tool_choice");
            if (choice != null && choice.isTextual()) {
                String c = choice.asText();
                out.putObject("tool_choice").put("type", "required".equals(c) ? "any" : c);
            } else if (choice != null && choice.isObject()) {
                out.putObject("tool_choice").put("type", "tool").put("name", choice.path("function").path("name").asText());
            }
        }
        JsonNode user = in.get("user");
        if (user != null && user.isTextual()) {
            out.putObject("metadata").put("user_id", user.asText());
        }
        JsonNode rf = in.get("response_format");
        if (rf != null && rf.isObject() && !"text".equals(rf.path("type").asText())) {
            throw new UnsupportedRequestException("Anthropic does not support response_format '" + rf.path("type").asText() + "'");
        }
        if (in.path("n").asInt(1) > 1) {
            throw new UnsupportedRequestException("Anthropic does not support n > 1");
        }
        if (stream) {
            out.put("stream", true);
        }
        return mapper.writeValueAsBytes(out);
    }

    private static void copyNumber(JsonNode in, ObjectNode out, String from, String to) {
        JsonNode v = in.get(from);
        if (v != null && v.isNumber()) {
            out.set(to, v);
        }
    }

    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText())) {
                sb.append(part.path("text").asText());
            }
        }
        return sb.toString();
    }

    private JsonNode content(JsonNode m, boolean assistant) throws IOException {
        JsonNode content = m.get("content");
        JsonNode toolCalls = m.get("tool_calls");
        boolean hasTools = assistant && toolCalls != null && toolCalls.isArray() && !toolCalls.isEmpty();
        if (!hasTools && content != null && content.isTextual()) {
            return content;
        }
        ArrayNode blocks = F.arrayNode();
        if (content != null && content.isTextual() && !content.asText().isEmpty()) {
            blocks.addObject().put("type", "text").put("text", content.asText());
        } else if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                String type = part.path("type").asText();
                if ("text".equals(type)) {
                    blocks.addObject().put("type", "text").put("text", part.path("text").asText());
                } else if ("image_url".equals(type)) {
                    blocks.add(image(part.path("image_url").path("url").asText()));
                } else {
                    throw new UnsupportedRequestException("Anthropic does not support content parts of type '" + type + "'");
                }
            }
        }
        if (hasTools) {
            for (JsonNode tc : toolCalls) {
                ObjectNode use = blocks.addObject();
                use.put("type", "tool_use");
                use.put("id", tc.path("id").asText());
                use.put("name", tc.path("function").path("name").asText());
                String args = tc.path("function").path("arguments").asText("");
                use.set("input", args.isBlank() ? F.objectNode() : mapper.readTree(args));
            }
        }
        return blocks;
    }

    private static ObjectNode image(String url) {
        ObjectNode block = F.objectNode().put("type", "image");
        ObjectNode source = block.putObject("source");
        int comma = url.indexOf(',');
        if (url.startsWith("data:") && comma > 0 && url.substring(0, comma).endsWith(";base64")) {
            source.put("type", "base64");
            source.put("media_type", url.substring(5, url.indexOf(';')));
            source.put("data", url.substring(comma + 1));
        } else if (url.startsWith("https://") || url.startsWith("http://")) {
            source.put("type", "url");
            source.put("url", url);
        } else {
            throw new UnsupportedRequestException("image_url must be a data: URL or an http(s) URL");
        }
        return block;
    }

    // ---- answers -------------------------------------------------------------------------------

    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /** Anthropic usage → OpenAI usage (prompt = input + cache reads + cache writes). */
    static ObjectNode usage(int input, int cacheRead, int cacheWrite, int output) {
        ObjectNode u = F.objectNode();
        int prompt = input + cacheRead + cacheWrite;
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", output);
        u.put("total_tokens", prompt + output);
        u.putObject("prompt_tokens_details").put("cached_tokens", cacheRead);
        return u;
    }

    byte[] response(byte[] body) throws IOException {
        JsonNode r = mapper.readTree(body);
        if (r == null || !r.isObject() || !"message".equals(r.path("type").asText())) {
            throw new IOException("not an Anthropic message");
        }
        ObjectNode out = F.objectNode();
        out.put("id", r.path("id").asText());
        out.put("object", "chat.completion");
        out.put("created", Instant.now().getEpochSecond());
        out.put("model", r.path("model").asText());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        StringBuilder text = new StringBuilder();
        ArrayNode calls = null;
        for (JsonNode block : r.path("content")) {
            String type = block.path("type").asText();
            if ("text".equals(type)) {
                text.append(block.path("text").asText());
            } else if ("tool_use".equals(type)) {
                if (calls == null) {
                    calls = F.arrayNode();
                }
                ObjectNode call = calls.addObject();
                call.put("id", block.path("id").asText());
                call.put("type", "function");
                call.putObject("function").put("name", block.path("name").asText())
                        .put("arguments", mapper.writeValueAsString(block.path("input")));
            }
        }
        if (calls != null && text.length() == 0) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (calls != null) {
            message.set("tool_calls", calls);
        }
        choice.putNull("logprobs");
        String finish = finishReason(r.path("stop_reason").asText(null));
        choice.put("finish_reason", finish == null ? "stop" : finish);
        JsonNode u = r.get("usage");
        if (u != null && u.isObject()) {
            out.set("usage", usage(u.path("input_tokens").asInt(0), u.path("cache_read_input_tokens").asInt(0),
                    u.path("cache_creation_input_tokens").asInt(0), u.path("output_tokens").asInt(0)));
        }
        return mapper.writeValueAsBytes(out);
    }

    /** Anthropic stream events → OpenAI chunks; {@code ping} and block start/stop of text carry no data. */
    final class Stream implements StreamTranslator {
        private final OpenAiChunkBuilder chunks = new OpenAiChunkBuilder("msg", Instant.now().getEpochSecond(), "");
        private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
        private int input;
        private int cacheRead;
        private int cacheWrite;
        private int output;
        private boolean sawUsage;

        @Override
        public void translate(StreamFrame frame, ObjectNode n, ChunkOutput out) {
            switch (n.path("type").asText()) {
                case "message_start" -> {
                    JsonNode m = n.path("message");
                    chunks.id(m.path("id").asText(chunks.id()));
                    chunks.model(m.path("model").asText(chunks.model()));
                    usageFrom(m.get("usage"));
                    out.chunk(chunks.role());
                }
                case "content_block_start" -> {
                    JsonNode block = n.path("content_block");
                    if ("tool_use".equals(block.path("type").asText())) {
                        int toolIndex = toolIndexByBlock.size();
                        toolIndexByBlock.put(n.path("index").asInt(), toolIndex);
                        ObjectNode call = F.objectNode();
                        call.put("index", toolIndex);
                        call.put("id", block.path("id").asText());
                        call.put("type", "function");
                        call.putObject("function").put("name", block.path("name").asText()).put("arguments", "");
                        ObjectNode delta = F.objectNode();
                        delta.putArray("tool_calls").add(call);
                        out.chunk(chunks.delta(delta, null));
                    }
                }
                case "content_block_delta" -> {
                    JsonNode d = n.path("delta");
                    String type = d.path("type").asText();
                    if ("text_delta".equals(type)) {
                        out.chunk(chunks.content(d.path("text").asText()));
                    } else if ("input_json_delta".equals(type)) {
                        Integer toolIndex = toolIndexByBlock.get(n.path("index").asInt());
                        ObjectNode call = F.objectNode();
                        call.put("index", toolIndex == null ? 0 : toolIndex);
                        call.putObject("function").put("arguments", d.path("partial_json").asText());
                        ObjectNode delta = F.objectNode();
                        delta.putArray("tool_calls").add(call);
                        out.chunk(chunks.delta(delta, null));
                    }
                }
                case "message_delta" -> {
                    usageFrom(n.get("usage"));
                    String finish = finishReason(n.path("delta").path("stop_reason").asText(null));
                    out.chunk(chunks.finish(finish == null ? "stop" : finish));
                }
                case "message_stop" -> {
                    if (sawUsage) {
                        out.chunk(chunks.usage(usage(input, cacheRead, cacheWrite, output)));
                    }
                }
                case "error" -> out.error(n.path("error"));
                default -> {
                    // ping, content_block_stop and future event types: no data
                }
            }
        }

        private void usageFrom(JsonNode u) {
            if (u == null || !u.isObject()) {
                return;
            }
            if (u.has("input_tokens")) {
                input = u.get("input_tokens").asInt();
                sawUsage = true;
            }
            if (u.has("cache_read_input_tokens")) {
                cacheRead = u.get("cache_read_input_tokens").asInt();
            }
            if (u.has("cache_creation_input_tokens")) {
                cacheWrite = u.get("cache_creation_input_tokens").asInt();
            }
            if (u.has("output_tokens")) {
                output = u.get("output_tokens").asInt();
                sawUsage = true;
            }
        }
    }
}
