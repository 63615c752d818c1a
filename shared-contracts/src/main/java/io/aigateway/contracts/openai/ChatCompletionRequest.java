package io.aigateway.contracts.openai;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.error.ApiError;

import java.util.Objects;

/**
 * An OpenAI chat completion request. Backed by the JSON tree the client sent so that every field,
 * known or not, survives every hop untouched ("unknown fields must pass through"). Typed accessors for
 * what the gateway reads; {@link #validate()} for what it requires.
 */
public final class ChatCompletionRequest {

    private final ObjectNode body;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public ChatCompletionRequest(ObjectNode body) {
        this.body = Objects.requireNonNull(body, "body");
    }

    /** The underlying tree (mutable: callers copy with {@link #copy()} before changing a shared request). */
    @JsonValue
    public ObjectNode body() {
        return body;
    }

    public ChatCompletionRequest copy() {
        return new ChatCompletionRequest(body.deepCopy());
    }

    public String model() {
        JsonNode m = body.get("model");
        return m != null && m.isTextual() ? m.asText() : null;
    }

    public JsonNode messages() {
        return body.get("messages");
    }

    public boolean stream() {
        JsonNode s = body.get("stream");
        return s != null && s.isBoolean() && s.booleanValue();
    }

    /** Whether the client asked for the final usage chunk ({@code stream_options.include_usage}). */
    public boolean includeUsage() {
        JsonNode so = body.get("stream_options");
        if (so == null || !so.isObject()) {
            return false;
        }
        JsonNode iu = so.get("include_usage");
        return iu != null && iu.isBoolean() && iu.booleanValue();
    }

    /** Sets {@code model} to the chosen provider's model id (in place). */
    public ChatCompletionRequest withModel(String modelId) {
        body.put("model", modelId);
        return this;
    }

    /** On streams, asks the provider for the usage chunk (in place); other stream options are kept. */
    public ChatCompletionRequest withUsageRequested() {
        if (stream()) {
            JsonNode so = body.get("stream_options");
            ObjectNode options = so != null && so.isObject() ? (ObjectNode) so : body.putObject("stream_options");
            options.put("include_usage", true);
        }
        return this;
    }

    /**
     * Checks the fields the gateway depends on, with OpenAI's error shape. Everything else is the
     * provider's to judge.
     *
     * @return null when valid, else the 400 error
     */
    public ApiError validate() {
        JsonNode m = body.get("model");
        if (m == null || m.isNull()) {
            return ApiError.badRequest("you must provide a model parameter", "model", "missing_required_parameter");
        }
        if (!m.isTextual()) {
            return ApiError.badRequest("'model' must be a string", "model", "invalid_type");
        }
        if (m.asText().isBlank()) {
            return ApiError.badRequest("'model' must not be empty", "model", "invalid_value");
        }
        JsonNode msgs = body.get("messages");
        if (msgs == null || msgs.isNull()) {
            return ApiError.badRequest("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
        }
        if (!msgs.isArray()) {
            return ApiError.badRequest("'messages' must be an array", "messages", "invalid_type");
        }
        if (msgs.isEmpty()) {
            return ApiError.badRequest("'messages' must contain at least one message", "messages", "empty_array");
        }
        for (int i = 0; i < msgs.size(); i++) {
            JsonNode msg = msgs.get(i);
            String param = "messages[" + i + "]";
            if (!msg.isObject()) {
                return ApiError.badRequest("'" + param + "' must be an object", param, "invalid_type");
            }
            JsonNode role = msg.get("role");
            if (role == null || !role.isTextual()) {
                return ApiError.badRequest("'" + param + ".role' is required and must be a string", param + ".role",
                        role == null ? "missing_required_parameter" : "invalid_type");
            }
            JsonNode content = msg.get("content");
            if (content != null && !(content.isNull() || content.isTextual() || content.isArray())) {
                return ApiError.badRequest("'" + param + ".content' must be a string or an array of content parts",
                        param + ".content", "invalid_type");
            }
        }
        ApiError typed = checkType("stream", JsonNode::isBoolean, "a boolean");
        if (typed == null) typed = checkType("stream_options", JsonNode::isObject, "an object");
        if (typed == null) typed = checkType("temperature", JsonNode::isNumber, "a number");
        if (typed == null) typed = checkType("top_p", JsonNode::isNumber, "a number");
        if (typed == null) typed = checkType("max_tokens", JsonNode::isIntegralNumber, "an integer");
        if (typed == null) typed = checkType("max_completion_tokens", JsonNode::isIntegralNumber, "an integer");
        if (typed == null) typed = checkType("n", JsonNode::isIntegralNumber, "an integer");
        if (typed == null) typed = checkType("tools", JsonNode::isArray, "an array");
        return typed;
    }

    private ApiError checkType(String field, java.util.function.Predicate<JsonNode> ok, String what) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull() || ok.test(v)) {
            return null;
        }
        return ApiError.badRequest("'" + field + "' must be " + what, field, "invalid_type");
    }

    @Override
    public String toString() {
        return "ChatCompletionRequest{model=" + model() + ", stream=" + stream() + "}";
    }
}
