package io.aigateway.adapter.provider.ollama;

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
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI chat ⇄ Ollama's native {@code /api/chat} (PROVIDERS.md "Ollama"; ollama docs/api.md "Generate a
 * chat completion"). Requests: messages (text parts joined, inline {@code data:} images to {@code images[]},
 * assistant tool calls with object arguments), {@code tools}, {@code response_format} → {@code format},
 * sampling options → {@code options}; unknown top-level fields are kept. Answers: {@code message},
 * {@code done_reason}, {@code prompt_eval_count}/{@code eval_count} → OpenAI's body, chunks and usage.
 */
final class OllamaTranslator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** OpenAI fields translated (or dropped because Ollama has no equivalent); everything else passes through. */
    private static final Set<String> HANDLED = Set.of("model", "messages", "stream", "stream_options", "tools",
            "tool_choice", "response_format", "temperature", "top_p", "seed", "stop", "max_tokens",
            "max_completion_tokens", "frequency_penalty", "presence_penalty", "n", "parallel_tool_calls", "user",
            "logprobs", "top_logprobs", "logit_bias");
    private static final Map<String, String> OPTIONS = Map.of("temperature", "temperature", "top_p", "top_p",
            "seed", "seed", "frequency_penalty", "frequency_penalty", "presence_penalty", "presence_penalty");

    private final ObjectMapper mapper;

    OllamaTranslator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    // ---- request -------------------------------------------------------------------------------

    byte[] request(JsonNode openAi, boolean stream) throws IOException {
        ObjectNode out = F.objectNode();
        out.put("model", openAi.path("model").asText());
        ArrayNode messages = out.putArray("messages");
        for (JsonNode m : openAi.path("messages")) {
            messages.add(message(m));
        }
        out.put("stream", stream);
        JsonNode tools = openAi.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            out.set("tools", tools);
        }
        JsonNode rf = openAi.get("response_format");
        if (rf != null && rf.isObject()) {
            String type = rf.path("type").asText();
            if ("json_object".equals(type)) {
                out.put("format", "json");
            } else if ("json_schema".equals(type) && rf.path("json_schema").path("schema").isObject()) {
                out.set("format", rf.path("json_schema").path("schema"));
            }
        }
        if (openAi.path("n").asInt(1) > 1) {
            throw new UnsupportedRequestException("Ollama does not support n > 1");
        }
        ObjectNode options = F.objectNode();
        OPTIONS.forEach((from, to) -> {
            JsonNode v = openAi.get(from);
            if (v != null && v.isNumber()) {
                options.set(to, v);
            }
        });
        JsonNode max = openAi.has("max_completion_tokens") ? openAi.get("max_completion_tokens") : openAi.get("max_tokens");
        if (max != null && max.isNumber()) {
            options.set("num_predict", max);
        }
        JsonNode stop = openAi.get("stop");
        if (stop != null && stop.isTextual()) {
            options.putArray("stop").add(stop.asText());
        } else if (stop != null && stop.isArray()) {
            options.set("stop", stop);
        }
        if (!options.isEmpty()) {
            out.set("options", options);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = openAi.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!HANDLED.contains(e.getKey()) && !out.has(e.getKey())) {
                out.set(e.getKey(), e.getValue());
            }
        }
        return mapper.writeValueAsBytes(out);
    }

    private ObjectNode message(JsonNode m) throws IOException {
        ObjectNode out = F.objectNode();
        String role = m.path("role").asText("user");
        out.put("role", "developer".equals(role) ? "system" : role);
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) {
            out.put("content", "");
        } else if (content.isTextual()) {
            out.put("content", content.asText());
        } else if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            ArrayNode images = null;
            for (JsonNode part : content) {
                String type = part.path("type").asText();
                if ("text".equals(type)) {
                    if (text.length() > 0) {
                        text.append('\n');
                    }
                    text.append(part.path("text").asText());
                } else if ("image_url".equals(type)) {
                    String url = part.path("image_url").path("url").asText();
                    int comma = url.indexOf(',');
                    if (!url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
                        throw new UnsupportedRequestException(
                                "Ollama takes images only inline (data:…;base64 URLs), not by URL");
                    }
                    if (images == null) {
                        images = out.putArray("images");
                    }
                    images.add(url.substring(comma + 1));
                } else {
                    throw new UnsupportedRequestException("Ollama does not support content parts of type '" + type + "'");
                }
            }
            out.put("content", text.toString());
        } else {
            throw new UnsupportedRequestException("message content must be a string or an array of parts");
        }
        JsonNode toolCalls = m.get("tool_calls");
        if (toolCalls != null && toolCalls.isArray()) {
            ArrayNode calls = out.putArray("tool_calls");
            for (JsonNode tc : toolCalls) {
                ObjectNode fn = calls.addObject().putObject("function");
                fn.put("name", tc.path("function").path("name").asText());
                JsonNode args = tc.path("function").get("arguments");
                fn.set("arguments", args != null && args.isTextual() && !args.asText().isBlank()
                        ? mapper.readTree(args.asText()) : args == null || args.isTextual() ? F.objectNode() : args);
            }
        }
        if (m.has("name") && "tool".equals(role)) {
            out.put("tool_name", m.get("name").asText());
        }
        return out;
    }

    // ---- answers -------------------------------------------------------------------------------

    static String finishReason(JsonNode line, boolean toolCalls) {
        if (toolCalls) {
            return "tool_calls";
        }
        return "length".equals(line.path("done_reason").asText()) ? "length" : "stop";
    }

    static long created(JsonNode line) {
        try {
            return Instant.parse(line.path("created_at").asText()).getEpochSecond();
        } catch (DateTimeParseException e) {
            return Instant.now().getEpochSecond();
        }
    }

    static ArrayNode toolCalls(JsonNode message, int[] counter) {
        JsonNode calls = message.get("tool_calls");
        if (calls == null || !calls.isArray() || calls.isEmpty()) {
            return null;
        }
        ArrayNode out = F.arrayNode();
        for (JsonNode tc : calls) {
            ObjectNode call = out.addObject();
            call.put("index", counter[0]);
            call.put("id", "call_" + counter[0]++);
            call.put("type", "function");
            ObjectNode fn = call.putObject("function");
            fn.put("name", tc.path("function").path("name").asText());
            JsonNode args = tc.path("function").get("arguments");
            fn.put("arguments", args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString());
        }
        return out;
    }

    static ObjectNode usage(JsonNode line) {
        if (!line.has("prompt_eval_count") && !line.has("eval_count")) {
            return null;
        }
        int p = line.path("prompt_eval_count").asInt(0);
        int c = line.path("eval_count").asInt(0);
        ObjectNode u = F.objectNode();
        u.put("prompt_tokens", p);
        u.put("completion_tokens", c);
        u.put("total_tokens", p + c);
        return u;
    }

    /** One-shot: Ollama's final object → OpenAI {@code chat.completion}. */
    byte[] response(byte[] body, String id) throws IOException {
        JsonNode r = mapper.readTree(body);
        if (r == null || !r.isObject() || !r.path("message").isObject()) {
            throw new IOException("not an Ollama chat answer");
        }
        ObjectNode out = F.objectNode();
        out.put("id", id);
        out.put("object", "chat.completion");
        out.put("created", created(r));
        out.put("model", r.path("model").asText());
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", r.path("message").path("content").asText(""));
        ArrayNode calls = toolCalls(r.path("message"), new int[]{0});
        if (calls != null) {
            message.set("tool_calls", calls);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(r, calls != null));
        ObjectNode usage = usage(r);
        if (usage != null) {
            out.set("usage", usage);
        }
        return mapper.writeValueAsBytes(out);
    }

    /** NDJSON lines → OpenAI chunks: role chunk first, content/tool-call deltas, finish chunk, usage chunk. */
    final class Stream implements StreamTranslator {
        private final OpenAiChunkBuilder chunks;
        private final int[] toolIndex = {0};
        private boolean started;
        private boolean sawToolCalls;

        Stream(String id) {
            this.chunks = new OpenAiChunkBuilder(id, 0, null);
        }

        @Override
        public void translate(StreamFrame frame, ObjectNode n, ChunkOutput out) {
            JsonNode error = n.get("error");
            if (error != null && !error.isNull()) {
                out.error(F.objectNode().put("message", error.isTextual() ? error.asText() : error.toString()));
                return;
            }
            if (!started) {
                started = true;
                chunks.created(created(n));
                chunks.model(n.path("model").asText());
                out.chunk(chunks.role());
            }
            JsonNode message = n.path("message");
            String content = message.path("content").asText("");
            if (!content.isEmpty()) {
                out.chunk(chunks.content(content));
            }
            ArrayNode calls = toolCalls(message, toolIndex);
            if (calls != null) {
                sawToolCalls = true;
                ObjectNode delta = F.objectNode();
                delta.set("tool_calls", calls);
                out.chunk(chunks.delta(delta, null));
            }
            if (n.path("done").asBoolean(false)) {
                out.chunk(chunks.finish(finishReason(n, sawToolCalls)));
                ObjectNode usage = usage(n);
                if (usage != null) {
                    out.chunk(chunks.usage(usage));
                }
            }
        }
    }
}
