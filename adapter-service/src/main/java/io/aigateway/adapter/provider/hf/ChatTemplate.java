package io.aigateway.adapter.provider.hf;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigateway.adapter.provider.UnsupportedRequestException;

import java.util.Locale;

/**
 * Renders OpenAI chat messages into one prompt for text-generation ({@code inputs}), per model family
 * (the models' published chat templates): Mistral ({@code <s>[INST] … [/INST]}), Llama 3
 * ({@code <|start_header_id|>role<|end_header_id|>}), Llama 2 ({@code <<SYS>>}) and ChatML.
 * The prompt ends where the assistant's answer starts.
 */
public enum ChatTemplate {
    MISTRAL, LLAMA3, LLAMA2, CHATML;

    public static ChatTemplate of(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace("-", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("unknown chat template '" + name + "' (mistral, llama3, llama2, chatml)");
        }
    }

    /** Stop sequences that end the assistant's turn in this template. */
    public String[] stops() {
        return switch (this) {
            case MISTRAL, LLAMA2 -> new String[]{"</s>"};
            case LLAMA3 -> new String[]{"<|eot_id|>"};
            case CHATML -> new String[]{"<|im_end|>"};
        };
    }

    public String render(JsonNode messages) {
        StringBuilder system = new StringBuilder();
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            if ("system".equals(role) || "developer".equals(role)) {
                if (system.length() > 0) {
                    system.append("\n\n");
                }
                system.append(text(m));
            }
        }
        StringBuilder sb = new StringBuilder();
        boolean firstUser = true;
        switch (this) {
            case LLAMA3 -> {
                sb.append("<|begin_of_text|>");
                if (system.length() > 0) {
                    sb.append("<|start_header_id|>system<|end_header_id|>\n\n").append(system).append("<|eot_id|>");
                }
                for (JsonNode m : messages) {
                    String role = role(m);
                    if (role != null) {
                        sb.append("<|start_header_id|>").append(role).append("<|end_header_id|>\n\n").append(text(m)).append("<|eot_id|>");
                    }
                }
                sb.append("<|start_header_id|>assistant<|end_header_id|>\n\n");
            }
            case CHATML -> {
                if (system.length() > 0) {
                    sb.append("<|im_start|>system\n").append(system).append("<|im_end|>\n");
                }
                for (JsonNode m : messages) {
                    String role = role(m);
                    if (role != null) {
                        sb.append("<|im_start|>").append(role).append('\n').append(text(m)).append("<|im_end|>\n");
                    }
                }
                sb.append("<|im_start|>assistant\n");
            }
            case MISTRAL, LLAMA2 -> {
                sb.append("<s>");
                for (JsonNode m : messages) {
                    String role = role(m);
                    if ("user".equals(role)) {
                        sb.append("[INST] ");
                        if (firstUser && system.length() > 0) {
                            sb.append(this == LLAMA2 ? "<<SYS>>\n" + system + "\n<</SYS>>\n\n" : system + "\n\n");
                        }
                        firstUser = false;
                        sb.append(text(m)).append(" [/INST]");
                    } else if ("assistant".equals(role)) {
                        sb.append(' ').append(text(m)).append("</s>");
                        if (this == LLAMA2) {
                            sb.append("<s>");
                        }
                    }
                }
            }
        }
        return sb.toString();
    }

    /** user/assistant (tool results are rendered as user turns); system handled separately. */
    private static String role(JsonNode m) {
        String role = m.path("role").asText();
        if (m.has("tool_calls") && m.get("tool_calls").isArray() && !m.get("tool_calls").isEmpty()) {
            throw new UnsupportedRequestException("text-generation (TGI) models do not support tool calls");
        }
        return switch (role) {
            case "user", "tool" -> "user";
            case "assistant" -> "assistant";
            default -> null;
        };
    }

    private static String text(JsonNode m) {
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            if (!"text".equals(type)) {
                throw new UnsupportedRequestException("text-generation (TGI) models take text only, not '" + type + "' parts");
            }
            sb.append(part.path("text").asText());
        }
        return sb.toString();
    }
}
