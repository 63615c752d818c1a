package io.aigateway.edge.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.RoutePolicy;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.edge.chat.ChatRequestReader;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a native generate body (with the chat route's strict JSON rules, {@link ChatRequestReader#readObject}) and
 * translates it into the OpenAI chat request routing receives, which is then validated as {@code /v1} validates
 * (same caps); a 400 from that check names the native field in {@code param} ({@code max_tokens} →
 * {@code options.maxTokens}, a message made from {@code prompt} → {@code prompt}).
 */
@ApplicationScoped
public class GenerateRequestReader {

    static final Set<String> FIELDS = Set.of("prompt", "messages", "systemPrompt", "context", "options", "policy",
            "useCache", "provider", "model", "stream");
    /** Native option → OpenAI field. */
    static final Map<String, String> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("temperature", "temperature");
        OPTIONS.put("maxTokens", "max_tokens");
        OPTIONS.put("topP", "top_p");
        OPTIONS.put("stop", "stop");
        OPTIONS.put("presencePenalty", "presence_penalty");
        OPTIONS.put("frequencyPenalty", "frequency_penalty");
        OPTIONS.put("seed", "seed");
    }

    private static final Pattern CONTEXT = Pattern.compile(AigwHeaders.CONTEXT_PATTERN);
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final ChatRequestReader chatReader;
    private final String defaultModel;

    public GenerateRequestReader(ChatRequestReader chatReader, GenerateConfig config) {
        this.chatReader = chatReader;
        this.defaultModel = config.defaultModel();
    }

    /** @throws ApiException 400 in the OpenAI envelope, with the native field as {@code param} */
    public GenerateRequest read(Buffer body) {
        ObjectNode in = chatReader.readObject(body);
        for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw bad("Unknown field '" + clip(f) + "'; expected one of prompt, messages, systemPrompt, context, "
                        + "options, policy, useCache, provider, model, stream.", clip(f), "unknown_parameter");
            }
        }
        JsonNode prompt = in.get("prompt");
        JsonNode messages = in.get("messages");
        if ((prompt == null || prompt.isNull()) == (messages == null || messages.isNull())) {
            throw bad("Exactly one of 'prompt' and 'messages' is required.", prompt == null ? "prompt" : "messages",
                    prompt == null ? "missing_required_parameter" : "invalid_request");
        }
        ObjectNode chat = NODES.objectNode();
        chat.put("model", model(in));
        ArrayNode msgs = chat.putArray("messages");
        String system = optionalString(in, "systemPrompt");
        if (system != null) {
            msgs.addObject().put("role", "system").put("content", system);
        }
        boolean fromPrompt = prompt != null && !prompt.isNull();
        if (fromPrompt) {
            if (!prompt.isTextual() || prompt.textValue().isEmpty()) {
                throw bad("'prompt' must be a non-empty string.", "prompt", "invalid_type");
            }
            msgs.addObject().put("role", "user").put("content", prompt.textValue());
        } else {
            if (!messages.isArray()) {
                throw bad("'messages' must be an array of OpenAI chat messages.", "messages", "invalid_type");
            }
            msgs.addAll((ArrayNode) messages);
        }
        JsonNode options = in.get("options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw bad("'options' must be an object.", "options", "invalid_type");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> o = it.next();
                String openAi = OPTIONS.get(o.getKey());
                if (openAi == null) {
                    throw bad("Unknown option '" + clip(o.getKey()) + "'; expected one of " + String.join(", ",
                            OPTIONS.keySet()) + ".", "options." + clip(o.getKey()), "unknown_parameter");
                }
                if (!o.getValue().isNull()) {
                    chat.set(openAi, o.getValue());
                }
            }
        }
        boolean stream = optionalBoolean(in, "stream", false);
        if (stream) {
            chat.put("stream", true);
            // the usage of a stream feeds the done event; the edge always reads it, the client never sees the chunk
            chat.putObject("stream_options").put("include_usage", true);
        }
        boolean useCache = optionalBoolean(in, "useCache", true);
        String context = optionalString(in, "context");
        if (context != null && !CONTEXT.matcher(context).matches()) {
            throw bad("'context' must match " + AigwHeaders.CONTEXT_PATTERN + " (e.g. writing, dictionary).",
                    "context", "invalid_context");
        }
        String policyName = optionalString(in, "policy");
        RoutePolicy policy = null;
        if (policyName != null) {
            policy = RoutePolicy.fromWire(policyName);
            if (policy == null) {
                throw bad("Unknown routing policy in 'policy'; expected one of user-preference, cost, latency, "
                        + "quality, round-robin.", "policy", "invalid_policy");
            }
        }
        ChatCompletionRequest validated;
        try {
            validated = chatReader.validated(chat);
        } catch (ApiException e) {
            ApiError err = e.error();
            String param = nativeParam(err.param(), fromPrompt, system != null);
            throw new ApiError(err.status(), err.type(), err.code(), param, err.message(), err.headers()).exception();
        }
        return new GenerateRequest(validated, stream, context, policy, useCache);
    }

    private String model(ObjectNode in) {
        String provider = optionalString(in, "provider");
        String model = optionalString(in, "model");
        if (provider != null && (provider.isEmpty() || provider.indexOf('/') >= 0)) {
            throw bad("'provider' must be a provider id (no '/').", "provider", "invalid_value");
        }
        if (provider != null && model == null) {
            throw bad("'provider' needs 'model': name the provider's model to pin.", "model",
                    "missing_required_parameter");
        }
        if (model != null && model.isEmpty()) {
            throw bad("'model' must not be empty.", "model", "invalid_value");
        }
        if (provider != null) {
            return provider + "/" + model;
        }
        return model != null ? model : defaultModel;
    }

    /** The native field for a {@code param} of the translated request's validation. */
    static String nativeParam(String param, boolean fromPrompt, boolean withSystem) {
        if (param == null) {
            return null;
        }
        for (Map.Entry<String, String> o : OPTIONS.entrySet()) {
            if (param.equals(o.getValue()) || param.startsWith(o.getValue() + "[")) {
                return "options." + o.getKey() + param.substring(o.getValue().length());
            }
        }
        if (param.startsWith("messages[")) {
            int end = param.indexOf(']');
            int index;
            try {
                index = Integer.parseInt(param.substring(9, end));
            } catch (RuntimeException e) {
                return param;
            }
            if (withSystem && index == 0) {
                return "systemPrompt";
            }
            if (fromPrompt) {
                return "prompt";
            }
            return withSystem ? "messages[" + (index - 1) + "]" + param.substring(end + 1) : param;
        }
        return param;
    }

    private static String optionalString(ObjectNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw bad("'" + field + "' must be a string.", field, "invalid_type");
        }
        return v.textValue();
    }

    private static boolean optionalBoolean(ObjectNode in, String field, boolean absent) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw bad("'" + field + "' must be a boolean.", field, "invalid_type");
        }
        return v.booleanValue();
    }

    private static String clip(String s) {
        String safe = s.replaceAll("[^\\x20-\\x7e]", "?");
        return safe.length() > 64 ? safe.substring(0, 64) : safe;
    }

    private static ApiException bad(String message, String param, String code) {
        return ApiError.badRequest(message, param, code).exception();
    }
}
