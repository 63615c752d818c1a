package io.aigateway.routing.route;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigateway.contracts.openai.ChatCompletionRequest;

/**
 * What routing needs to know about a request, computed once: a prompt-token estimate (characters of the
 * message text / 4, plus a small per-message overhead), the completion budget ({@code max_tokens} /
 * {@code max_completion_tokens}, else the configured default) and the capabilities it needs.
 *
 * @param explicitMaxTokens whether the completion budget came from the request (then it counts against
 *                          the context window)
 */
public record RequestProfile(int promptTokens, int maxTokens, boolean explicitMaxTokens, boolean stream,
                             boolean tools, boolean images, boolean json) {

    static final int CHARS_PER_TOKEN = 4;
    static final int PER_MESSAGE_OVERHEAD = 4;

    public static RequestProfile of(ChatCompletionRequest request, int defaultMaxTokens) {
        JsonNode body = request.body();
        long chars = 0;
        int messages = 0;
        boolean images = false;
        JsonNode msgs = body.get("messages");
        if (msgs != null && msgs.isArray()) {
            for (JsonNode m : msgs) {
                messages++;
                JsonNode content = m.get("content");
                if (content == null) {
                    continue;
                }
                if (content.isTextual()) {
                    chars += content.textValue().length();
                } else if (content.isArray()) {
                    for (JsonNode part : content) {
                        JsonNode type = part.get("type");
                        String t = type == null ? "" : type.asText();
                        if ("image_url".equals(t) || "input_image".equals(t) || "image".equals(t)) {
                            images = true;
                        }
                        JsonNode text = part.get("text");
                        if (text != null && text.isTextual()) {
                            chars += text.textValue().length();
                        }
                    }
                }
            }
        }
        int prompt = (int) Math.min(Integer.MAX_VALUE, (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN
                + (long) messages * PER_MESSAGE_OVERHEAD);
        int max = intField(body, "max_completion_tokens");
        if (max <= 0) {
            max = intField(body, "max_tokens");
        }
        boolean explicit = max > 0;
        JsonNode tools = body.get("tools");
        boolean needsTools = tools != null && tools.isArray() && !tools.isEmpty();
        JsonNode rf = body.get("response_format");
        boolean json = false;
        if (rf != null && rf.isObject()) {
            JsonNode type = rf.get("type");
            String t = type == null ? "" : type.asText();
            json = "json_object".equals(t) || "json_schema".equals(t);
        }
        return new RequestProfile(prompt, explicit ? max : defaultMaxTokens, explicit, request.stream(),
                needsTools, images, json);
    }

    /**
     * A token budget from the request: 0 when absent, not an integer or not positive (treated as not set);
     * saturated at {@code Integer.MAX_VALUE} when larger ({@code intValue()} would wrap 4294967297 to 1).
     */
    static int intField(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || !n.isIntegralNumber()) {
            return 0;
        }
        if (n.canConvertToInt()) {
            return Math.max(0, n.intValue());
        }
        return n.bigIntegerValue().signum() > 0 ? Integer.MAX_VALUE : 0;
    }

    /**
     * Tokens that must fit into the context window: the prompt, plus the budget when the caller set one. A
     * {@code long}: prompt and budget may each be close to {@code Integer.MAX_VALUE}, and their sum must not
     * wrap to a negative number that fits every window.
     */
    public long contextNeeded() {
        return explicitMaxTokens ? (long) promptTokens + maxTokens : promptTokens;
    }
}
