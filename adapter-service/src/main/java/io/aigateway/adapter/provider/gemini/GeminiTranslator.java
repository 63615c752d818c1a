package io.aigateway.adapter.provider.gemini;

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
 * OpenAI chat ⇄ Gemini {@code generateContent} (ai.google.dev "Generating content" API reference: {@code Content},
 * {@code Part}, {@code GenerationConfig}, {@code GenerateContentResponse}, {@code FinishReason}, {@code BlockReason},
 * {@code UsageMetadata}). Roles: {@code user} → {@code user}, {@code assistant} → {@code model}; system and developer
 * messages → {@code systemInstruction}; tool calls → {@code functionCall} parts, tool results → {@code functionResponse}
 * parts in a user turn; data-URL images → {@code inlineData}. Sampling → {@code generationConfig}
 * ({@code temperature, topP, topK, maxOutputTokens, stopSequences, seed, presencePenalty, frequencyPenalty},
 * {@code response_format} json → {@code responseMimeType}). Fields Gemini rejects (unknown ones) are not forwarded;
 * {@code n > 1} and image URLs that are not data URLs are a 400.
 * <p>
 * A blocked prompt ({@code promptFeedback.blockReason}) or a candidate stopped by a safety-type finish reason with no
 * text is reported as {@link Blocked} (one-shot) or an error chunk {@code code: content_filter} (stream): both become
 * CONTENT_FILTERED.
 */
final class GeminiTranslator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ObjectMapper mapper;

    GeminiTranslator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The model's id as Gemini names it in a path: {@code gemini-2.0-flash} (a {@code models/} prefix is dropped). */
    static String modelPath(String model) {
        return model.startsWith("models/") ? model.substring("models/".length()) : model;
    }

    // ---- request -------------------------------------------------------------------------------

    byte[] request(JsonNode in) throws IOException {
        return mapper.writeValueAsBytes(requestTree(in));
    }

    ObjectNode requestTree(JsonNode in) throws IOException {
        ObjectNode out = F.objectNode();
        ArrayNode contents = out.putArray("contents");
        StringBuilder system = new StringBuilder();
        Map<String, String> toolNames = new HashMap<>();
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
                        pendingToolResults = contents.addObject();
                        pendingToolResults.put("role", "user");
                        pendingToolResults.putArray("parts");
                    }
                    String id = m.path("tool_call_id").asText();
                    String name = m.hasNonNull("name") ? m.get("name").asText() : toolNames.getOrDefault(id, id);
                    ObjectNode fr = ((ArrayNode) pendingToolResults.get("parts")).addObject().putObject("functionResponse");
                    fr.put("name", name);
                    fr.set("response", toolResponse(text(m.get("content"))));
                }
                case "user", "assistant" -> {
                    pendingToolResults = null;
                    ArrayNode parts = parts(m, "assistant".equals(role), toolNames);
                    if (!parts.isEmpty()) { // Gemini refuses empty text parts: an empty turn is left out
                        ObjectNode content = contents.addObject();
                        content.put("role", "assistant".equals(role) ? "model" : "user");
                        content.set("parts", parts);
                    }
                }
                default -> throw new UnsupportedRequestException("Gemini does not support messages with role '" + role + "'");
            }
        }
        if (system.length() > 0) {
            out.putObject("systemInstruction").putArray("parts").addObject().put("text", system.toString());
        }
        ObjectNode config = F.objectNode();
        copyNumber(in, config, "temperature", "temperature");
        copyNumber(in, config, "top_p", "topP");
        copyNumber(in, config, "top_k", "topK");
        JsonNode max = in.has("max_completion_tokens") ? in.get("max_completion_tokens") : in.get("max_tokens");
        if (max != null && max.isNumber()) {
            config.put("maxOutputTokens", max.asInt());
        }
        JsonNode stop = in.get("stop");
        if (stop != null && stop.isTextual()) {
            config.putArray("stopSequences").add(stop.asText());
        } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
            config.set("stopSequences", stop);
        }
        copyNumber(in, config, "seed", "seed");
        copyNumber(in, config, "presence_penalty", "presencePenalty");
        copyNumber(in, config, "frequency_penalty", "frequencyPenalty");
        JsonNode rf = in.get("response_format");
        if (rf != null && rf.isObject()) {
            String type = rf.path("type").asText();
            if ("json_object".equals(type)) {
                config.put("responseMimeType", "application/json");
            } else if ("json_schema".equals(type)) {
                config.put("responseMimeType", "application/json");
                JsonNode schema = rf.path("json_schema").get("schema");
                if (schema != null && schema.isObject()) {
                    config.set("responseJsonSchema", schema);
                }
            } else if (!"text".equals(type)) {
                throw new UnsupportedRequestException("Gemini does not support response_format '" + type + "'");
            }
        }
        if (in.path("n").asInt(1) > 1) {
            throw new UnsupportedRequestException("Gemini does not support n > 1");
        }
        if (!config.isEmpty()) {
            out.set("generationConfig", config);
        }
        JsonNode tools = in.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            ArrayNode declarations = out.putArray("tools").addObject().putArray("functionDeclarations");
            for (JsonNode tool : tools) {
                JsonNode fn = tool.path("function");
                ObjectNode d = declarations.addObject();
                d.put("name", fn.path("name").asText());
                if (fn.has("description")) {
                    d.set("description", fn.get("description"));
                }
                if (fn.has("parameters")) {
                    d.set("parametersJsonSchema", fn.get("parameters"));
                }
            }
            JsonNode choice = in.get("tool_choice");
            ObjectNode calling = null;
            if (choice != null && choice.isTextual()) {
                calling = F.objectNode().put("mode", switch (choice.asText()) {
                    case "required" -> "ANY";
                    case "none" -> "NONE";
                    default -> "AUTO";
                });
            } else if (choice != null && choice.isObject()) {
                calling = F.objectNode().put("mode", "ANY");
                calling.putArray("allowedFunctionNames").add(choice.path("function").path("name").asText());
            }
            if (calling != null) {
                out.putObject("toolConfig").set("functionCallingConfig", calling);
            }
        }
        return out;
    }

    private JsonNode toolResponse(String content) {
        try {
            JsonNode parsed = mapper.readTree(content);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (IOException notJson) {
            // plain text result
        }
        return F.objectNode().put("content", content);
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

    private ArrayNode parts(JsonNode m, boolean assistant, Map<String, String> toolNames) throws IOException {
        ArrayNode parts = F.arrayNode();
        JsonNode content = m.get("content");
        if (content != null && content.isTextual()) {
            if (!content.asText().isEmpty()) {
                parts.addObject().put("text", content.asText());
            }
        } else if (content != null && content.isArray()) {
            for (JsonNode part : content) {
                String type = part.path("type").asText();
                if ("text".equals(type)) {
                    parts.addObject().put("text", part.path("text").asText());
                } else if ("image_url".equals(type)) {
                    parts.add(image(part.path("image_url").path("url").asText()));
                } else {
                    throw new UnsupportedRequestException("Gemini does not support content parts of type '" + type + "'");
                }
            }
        }
        JsonNode toolCalls = m.get("tool_calls");
        if (assistant && toolCalls != null && toolCalls.isArray()) {
            for (JsonNode tc : toolCalls) {
                String name = tc.path("function").path("name").asText();
                toolNames.put(tc.path("id").asText(), name);
                ObjectNode call = parts.addObject().putObject("functionCall");
                call.put("name", name);
                String args = tc.path("function").path("arguments").asText("");
                call.set("args", args.isBlank() ? F.objectNode() : mapper.readTree(args));
            }
        }
        return parts;
    }

    private static ObjectNode image(String url) {
        int comma = url.indexOf(',');
        if (url.startsWith("data:") && comma > 0 && url.substring(0, comma).endsWith(";base64")) {
            ObjectNode part = F.objectNode();
            part.putObject("inlineData").put("mimeType", url.substring(5, url.indexOf(';')))
                    .put("data", url.substring(comma + 1));
            return part;
        }
        throw new UnsupportedRequestException("Gemini takes images as data: URLs only (base64)");
    }

    // ---- answers -------------------------------------------------------------------------------

    /** A prompt or answer Gemini blocked: no content to relay (CONTENT_FILTERED). */
    static final class Blocked extends IOException {
        Blocked(String message) {
            super(message, null);
        }
    }

    /** Gemini's {@code FinishReason} → OpenAI's; null when the candidate has not finished. */
    static String finishReason(String reason, boolean toolCalls) {
        if (reason == null || reason.isEmpty()) {
            return null;
        }
        return switch (reason) {
            case "STOP" -> toolCalls ? "tool_calls" : "stop";
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
                 "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> "content_filter";
            default -> toolCalls ? "tool_calls" : "stop";
        };
    }

    /** Whether a finish reason says the answer was filtered (not a normal end). */
    static boolean filtered(String reason) {
        return "content_filter".equals(finishReason(reason, false));
    }

    /** {@code usageMetadata} → OpenAI usage: completion = candidates + thoughts (thinking is billed as output). */
    static ObjectNode usage(JsonNode u) {
        int prompt = u.path("promptTokenCount").asInt(0);
        int candidates = u.path("candidatesTokenCount").asInt(0);
        int thoughts = u.path("thoughtsTokenCount").asInt(0);
        int completion = candidates + thoughts;
        ObjectNode usage = OpenAiChunkBuilder.counts(prompt, completion);
        if (u.has("cachedContentTokenCount")) {
            usage.putObject("prompt_tokens_details").put("cached_tokens", u.get("cachedContentTokenCount").asInt());
        }
        if (thoughts > 0) {
            usage.putObject("completion_tokens_details").put("reasoning_tokens", thoughts);
        }
        return usage;
    }

    /** The message of a blocked prompt, or null when the prompt was not blocked. */
    static String promptBlocked(JsonNode r) {
        String reason = r.path("promptFeedback").path("blockReason").asText(null);
        if (reason == null || reason.isEmpty()) {
            return null;
        }
        String detail = r.path("promptFeedback").path("blockReasonMessage").asText(null);
        return "Gemini blocked the prompt (blockReason " + reason + ")" + (detail == null ? "" : ": " + detail);
    }

    byte[] response(byte[] body, String fallbackId, String fallbackModel) throws IOException {
        JsonNode r = mapper.readTree(body);
        if (r == null || !r.isObject()) {
            throw new IOException("not a Gemini GenerateContentResponse");
        }
        String blocked = promptBlocked(r);
        if (blocked != null) {
            throw new Blocked(blocked);
        }
        JsonNode candidate = r.path("candidates").path(0);
        if (!candidate.isObject()) {
            throw new IOException("a Gemini answer without candidates");
        }
        StringBuilder text = new StringBuilder();
        ArrayNode calls = null;
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.path("thought").asBoolean(false)) {
                continue;
            }
            if (part.has("text")) {
                text.append(part.path("text").asText());
            } else if (part.has("functionCall")) {
                if (calls == null) {
                    calls = F.arrayNode();
                }
                calls.add(toolCall(part.get("functionCall"), fallbackId, calls.size()));
            }
        }
        String reason = candidate.path("finishReason").asText(null);
        if (filtered(reason) && text.length() == 0 && calls == null) {
            throw new Blocked("Gemini stopped the answer (finishReason " + reason + ")");
        }
        ObjectNode out = F.objectNode();
        out.put("id", r.path("responseId").asText(fallbackId));
        out.put("object", "chat.completion");
        out.put("created", Instant.now().getEpochSecond());
        out.put("model", r.path("modelVersion").asText(fallbackModel));
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (calls != null && text.length() == 0) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (calls != null) {
            message.set("tool_calls", calls);
        }
        choice.putNull("logprobs");
        String finish = finishReason(reason, calls != null);
        choice.put("finish_reason", finish == null ? (calls != null ? "tool_calls" : "stop") : finish);
        JsonNode u = r.get("usageMetadata");
        if (u != null && u.isObject()) {
            out.set("usage", usage(u));
        }
        return mapper.writeValueAsBytes(out);
    }

    /** A {@code functionCall} as an OpenAI tool call; Gemini's {@code id} when it sends one, else ours. */
    private ObjectNode toolCall(JsonNode fc, String completionId, int index) throws IOException {
        ObjectNode call = F.objectNode();
        call.put("id", fc.hasNonNull("id") ? fc.get("id").asText() : "call_" + completionId + "_" + index);
        call.put("type", "function");
        call.putObject("function").put("name", fc.path("name").asText())
                .put("arguments", mapper.writeValueAsString(fc.has("args") ? fc.get("args") : F.objectNode()));
        return call;
    }

    /**
     * Gemini's SSE frames (each a whole {@code GenerateContentResponse} with the new text; {@code usageMetadata}
     * cumulative, complete on the frame carrying {@code finishReason}; no {@code [DONE]}) → OpenAI chunks: the role
     * chunk first, one content chunk per frame with text, a tool-call delta per {@code functionCall}, the finish chunk
     * and then the usage chunk when the candidate finishes. An {@code {"error":…}} frame is a mid-stream error.
     */
    final class Stream implements StreamTranslator {
        private final OpenAiChunkBuilder chunks;
        private final String completionId;
        private boolean started;
        private boolean sawText;
        private int toolCalls;
        private boolean finished;
        private boolean usageSent;
        private JsonNode usage;

        Stream(String completionId, String model) {
            this.completionId = completionId;
            this.chunks = new OpenAiChunkBuilder(completionId, Instant.now().getEpochSecond(), model);
        }

        @Override
        public void translate(StreamFrame frame, ObjectNode n, ChunkOutput out) {
            JsonNode error = n.get("error");
            if (error != null && error.isObject()) {
                out.error(error);
                return;
            }
            String blocked = promptBlocked(n);
            if (blocked != null) {
                out.error(F.objectNode().put("code", "content_filter").put("message", blocked));
                return;
            }
            JsonNode u = n.get("usageMetadata");
            if (u != null && u.isObject()) {
                usage = u;
            }
            if (finished) {
                if (usage != null && !usageSent) { // usage on a frame after the finish reason
                    usageSent = true;
                    out.chunk(chunks.usage(usage(usage)));
                }
                return;
            }
            JsonNode candidate = n.path("candidates").path(0);
            String reason = candidate.path("finishReason").asText(null);
            if (!started && filtered(reason) && !hasContent(candidate)) {
                out.error(F.objectNode().put("code", "content_filter")
                        .put("message", "Gemini stopped the answer (finishReason " + reason + ")"));
                return;
            }
            if (!started) {
                started = true;
                if (n.hasNonNull("modelVersion")) {
                    chunks.model(n.get("modelVersion").asText());
                }
                out.chunk(chunks.role());
            }
            StringBuilder text = new StringBuilder();
            for (JsonNode part : candidate.path("content").path("parts")) {
                if (part.path("thought").asBoolean(false)) {
                    continue;
                }
                if (part.has("text")) {
                    text.append(part.path("text").asText());
                } else if (part.has("functionCall")) {
                    flush(text, out);
                    try {
                        ObjectNode call = toolCall(part.get("functionCall"), completionId, toolCalls);
                        call.put("index", toolCalls++);
                        ObjectNode delta = F.objectNode();
                        delta.putArray("tool_calls").add(call);
                        out.chunk(chunks.delta(delta, null));
                    } catch (IOException e) {
                        out.error(F.objectNode().put("message", "unreadable functionCall"));
                        return;
                    }
                }
            }
            flush(text, out);
            String finish = finishReason(reason, toolCalls > 0);
            if (finish != null) {
                finished = true;
                out.chunk(chunks.finish(finish));
                if (usage != null) {
                    usageSent = true;
                    out.chunk(chunks.usage(usage(usage)));
                }
            }
        }

        private void flush(StringBuilder text, ChunkOutput out) {
            if (text.length() > 0) {
                sawText = true;
                out.chunk(chunks.delta(F.objectNode().put("content", text.toString()), null));
                text.setLength(0);
            }
        }

        private boolean hasContent(JsonNode candidate) {
            for (JsonNode part : candidate.path("content").path("parts")) {
                if ((part.has("text") && !part.path("text").asText().isEmpty()) || part.has("functionCall")) {
                    return true;
                }
            }
            return sawText;
        }
    }
}
