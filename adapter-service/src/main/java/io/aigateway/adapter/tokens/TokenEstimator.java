package io.aigateway.adapter.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

/**
 * Token estimates for when a provider returns no usage: {@code cl100k_base} (jtokkit, registry built once at start: loading
 * it takes seconds and must never happen on an event loop),
 * about 3 tokens of overhead per message plus 3 for the reply. An estimate only: flagged as such.
 */
@Startup
@Singleton
public class TokenEstimator {

    private static final int PER_MESSAGE = 3;
    private static final int PER_REPLY = 3;

    private final Encoding encoding;

    public TokenEstimator() {
        this.encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    }

    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    /** Prompt tokens of an OpenAI {@code messages} array (text content and text parts, names, tool calls). */
    public int promptTokens(JsonNode messages) {
        if (messages == null || !messages.isArray()) {
            return 0;
        }
        int total = PER_REPLY;
        for (JsonNode msg : messages) {
            total += PER_MESSAGE;
            total += count(textOf(msg.get("role")));
            total += count(textOf(msg.get("name")));
            JsonNode content = msg.get("content");
            if (content != null && content.isTextual()) {
                total += count(content.asText());
            } else if (content != null && content.isArray()) {
                for (JsonNode part : content) {
                    total += count(textOf(part.get("text")));
                }
            }
            JsonNode toolCalls = msg.get("tool_calls");
            if (toolCalls != null && toolCalls.isArray()) {
                for (JsonNode tc : toolCalls) {
                    JsonNode fn = tc.get("function");
                    if (fn != null) {
                        total += count(textOf(fn.get("name"))) + count(textOf(fn.get("arguments")));
                    }
                }
            }
        }
        return total;
    }

    /** Completion tokens of a {@code chat.completion} body: every choice's content, reasoning and tool calls. */
    public int completionTokens(JsonNode response) {
        JsonNode choices = response == null ? null : response.get("choices");
        if (choices == null || !choices.isArray()) {
            return 0;
        }
        int total = 0;
        for (JsonNode choice : choices) {
            JsonNode msg = choice.get("message");
            if (msg == null) {
                continue;
            }
            total += count(textOf(msg.get("content"))) + count(textOf(msg.get("reasoning_content")));
            JsonNode toolCalls = msg.get("tool_calls");
            if (toolCalls != null && toolCalls.isArray()) {
                for (JsonNode tc : toolCalls) {
                    JsonNode fn = tc.get("function");
                    if (fn != null) {
                        total += count(textOf(fn.get("name"))) + count(textOf(fn.get("arguments")));
                    }
                }
            }
        }
        return total;
    }

    private static String textOf(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
