package io.aigateway.contracts.openai;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.text.LogSafe;

import java.math.BigDecimal;
import java.math.BigInteger;
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
     * Caps a service configures on top of the fixed checks of {@link #validate()}.
     *
     * @param maxModelLength      longest accepted {@code model}, in characters
     * @param maxUserLength       longest accepted {@code user}, in characters
     * @param maxIdentifierLength longest accepted other identifier (message and function names, tool call ids)
     * @param maxTokensCap        largest accepted {@code max_tokens} / {@code max_completion_tokens}
     */
    public record Limits(int maxModelLength, int maxUserLength, int maxIdentifierLength, long maxTokensCap) {

        /**
         * What {@link #validate()} applies: no length caps, and token budgets that fit an {@code int} (services
         * below the edge hold them as {@code int}).
         */
        public static final Limits PERMISSIVE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE);

        public Limits {
            if (maxModelLength < 1 || maxUserLength < 1 || maxIdentifierLength < 1 || maxTokensCap < 1) {
                throw new IllegalArgumentException("limits must be at least 1");
            }
        }
    }

    private static final BigDecimal ZERO = BigDecimal.ZERO;
    private static final BigDecimal ONE = BigDecimal.ONE;
    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    private static final BigDecimal MINUS_TWO = BigDecimal.valueOf(-2);
    /** OpenAI's bound for {@code n}. */
    public static final int MAX_N = 128;

    /** {@link #validate(Limits)} with {@link Limits#PERMISSIVE}. */
    public ApiError validate() {
        return validate(Limits.PERMISSIVE);
    }

    /**
     * Checks the fields the gateway depends on, with OpenAI's error shape and codes, plus the
     * provider-independent bounds every OpenAI-compatible provider shares: identifiers without control
     * characters ({@link LogSafe#isControl}) and within the length caps; {@code max_tokens} and
     * {@code max_completion_tokens} integers in 1..{@code maxTokensCap}; {@code n} in 1..128;
     * {@code temperature} in 0..2; {@code top_p} in 0..1; {@code presence_penalty} and
     * {@code frequency_penalty} in -2..2. Integer parameters must be JSON integers: {@code 1e3} or
     * {@code 100.0} is an {@code invalid_type} (providers that read them as integers reject them too).
     * Everything else is the provider's to judge. Error messages never echo more than
     * {@link LogSafe#ECHO_MAX} characters of a client value, escaped.
     *
     * @return null when valid, else the 400 error
     */
    public ApiError validate(Limits limits) {
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
        ApiError err = identifier(m, "model", limits.maxModelLength());
        if (err != null) {
            return err;
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
        int idMax = limits.maxIdentifierLength();
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
            err = identifier(role, param + ".role", idMax);
            if (err == null) err = identifier(msg.get("name"), param + ".name", idMax);
            if (err == null) err = identifier(msg.get("tool_call_id"), param + ".tool_call_id", idMax);
            if (err == null) err = functionName(msg.get("function_call"), param + ".function_call", idMax);
            JsonNode calls = msg.get("tool_calls");
            if (err == null && calls != null && calls.isArray()) {
                for (int j = 0; j < calls.size() && err == null; j++) {
                    JsonNode call = calls.get(j);
                    String cp = param + ".tool_calls[" + j + "]";
                    err = identifier(call.get("id"), cp + ".id", idMax);
                    if (err == null) err = functionName(call.get("function"), cp + ".function", idMax);
                }
            }
            if (err != null) {
                return err;
            }
        }
        ApiError typed = checkType("stream", JsonNode::isBoolean, "a boolean");
        if (typed == null) typed = checkType("stream_options", JsonNode::isObject, "an object");
        if (typed == null) typed = checkType("tools", JsonNode::isArray, "an array");
        if (typed == null) typed = checkType("user", JsonNode::isTextual, "a string");
        if (typed == null) typed = integerIn("max_tokens", 1, limits.maxTokensCap());
        if (typed == null) typed = integerIn("max_completion_tokens", 1, limits.maxTokensCap());
        if (typed == null) typed = integerIn("n", 1, MAX_N);
        if (typed == null) typed = decimalIn("temperature", ZERO, TWO);
        if (typed == null) typed = decimalIn("top_p", ZERO, ONE);
        if (typed == null) typed = decimalIn("presence_penalty", MINUS_TWO, TWO);
        if (typed == null) typed = decimalIn("frequency_penalty", MINUS_TWO, TWO);
        if (typed == null) typed = identifier(body.get("user"), "user", limits.maxUserLength());
        if (typed == null) typed = functionNames(body.get("tools"), "tools", true, idMax);
        if (typed == null) typed = functionNames(body.get("functions"), "functions", false, idMax);
        if (typed == null) {
            JsonNode choice = body.get("tool_choice");
            if (choice != null && choice.isObject()) {
                typed = functionName(choice.get("function"), "tool_choice.function", idMax);
            }
        }
        if (typed == null) {
            JsonNode fc = body.get("function_call");
            if (fc != null && fc.isObject()) {
                typed = identifier(fc.get("name"), "function_call.name", idMax);
            }
        }
        return typed;
    }

    /** {@code name} of a {@code {"name": ...}} object (function, function_call) when there is one. */
    private static ApiError functionName(JsonNode fn, String param, int max) {
        return fn != null && fn.isObject() ? identifier(fn.get("name"), param + ".name", max) : null;
    }

    /** Names of {@code tools[k].function} ({@code nested}) or {@code functions[k]}. */
    private static ApiError functionNames(JsonNode list, String field, boolean nested, int max) {
        if (list == null || !list.isArray()) {
            return null;
        }
        for (int k = 0; k < list.size(); k++) {
            JsonNode item = list.get(k);
            String param = field + "[" + k + "]";
            ApiError err = nested
                    ? (item.isObject() ? functionName(item.get("function"), param + ".function", max) : null)
                    : functionName(item, param, max);
            if (err != null) {
                return err;
            }
        }
        return null;
    }

    /**
     * A textual identifier: no control character, at most {@code max} characters. Absent, null and non-text
     * values are not this check's business.
     */
    private static ApiError identifier(JsonNode v, String param, int max) {
        if (v == null || !v.isTextual()) {
            return null;
        }
        String s = v.textValue();
        int bad = LogSafe.indexOfControl(s);
        if (bad >= 0) {
            return ApiError.badRequest("Invalid '" + param + "': contains the control character "
                    + LogSafe.codePoint(s.charAt(bad)) + " at position " + bad + ".", param, "invalid_value");
        }
        if (s.length() > max) {
            return ApiError.badRequest("Invalid '" + param + "': string too long. Expected a string with maximum "
                    + "length " + max + ", but got a string with length " + s.length() + " instead.", param,
                    "string_above_max_length");
        }
        return null;
    }

    private ApiError integerIn(String field, long min, long max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            return ApiError.badRequest("'" + field + "' must be an integer", field, "invalid_type");
        }
        BigInteger b = v.bigIntegerValue();
        if (b.compareTo(BigInteger.valueOf(min)) < 0) {
            return ApiError.badRequest("Invalid '" + field + "': integer below minimum value. Expected a value >= "
                    + min + ", but got " + LogSafe.echo(b.toString()) + " instead.", field, "integer_below_min_value");
        }
        if (b.compareTo(BigInteger.valueOf(max)) > 0) {
            return ApiError.badRequest("Invalid '" + field + "': integer above maximum value. Expected a value <= "
                    + max + ", but got " + LogSafe.echo(b.toString()) + " instead.", field, "integer_above_max_value");
        }
        return null;
    }

    private ApiError decimalIn(String field, BigDecimal min, BigDecimal max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            return ApiError.badRequest("'" + field + "' must be a number", field, "invalid_type");
        }
        int below;
        int above;
        if ((v.isDouble() || v.isFloat()) && !Double.isFinite(v.doubleValue())) {
            // a double parser turns 1e400 into Infinity
            below = v.doubleValue() < 0 ? -1 : 1;
            above = v.doubleValue() > 0 ? 1 : -1;
        } else {
            BigDecimal d = v.decimalValue();
            below = d.compareTo(min);
            above = d.compareTo(max);
        }
        if (below < 0) {
            return ApiError.badRequest("Invalid '" + field + "': decimal below minimum value. Expected a value >= "
                    + min + ", but got " + LogSafe.echo(v.asText()) + " instead.", field, "decimal_below_min_value");
        }
        if (above > 0) {
            return ApiError.badRequest("Invalid '" + field + "': decimal above maximum value. Expected a value <= "
                    + max + ", but got " + LogSafe.echo(v.asText()) + " instead.", field, "decimal_above_max_value");
        }
        return null;
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
        return "ChatCompletionRequest{model=" + LogSafe.escape(model()) + ", stream=" + stream() + "}";
    }
}
