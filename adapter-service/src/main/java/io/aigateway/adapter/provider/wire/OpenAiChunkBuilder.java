package io.aigateway.adapter.provider.wire;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the OpenAI {@code chat.completion.chunk}s of one translated stream, the one shape every translating
 * kind produces: {@code id, object, created, model, choices[{index, delta, logprobs, finish_reason}], usage}
 * ({@code usage} null except in the final usage chunk, whose {@code choices} is empty). The identity may be
 * learnt from the stream itself (Anthropic's {@code message_start}, Ollama's first line).
 */
public final class OpenAiChunkBuilder {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private String id;
    private long created;
    private String model;

    public OpenAiChunkBuilder(String id, long created, String model) {
        this.id = id;
        this.created = created;
        this.model = model;
    }

    public void id(String id) {
        this.id = id;
    }

    public void created(long created) {
        this.created = created;
    }

    public void model(String model) {
        this.model = model;
    }

    public String id() {
        return id;
    }

    public String model() {
        return model;
    }

    /** The first chunk: {@code delta {"role":"assistant","content":""}}. */
    public ObjectNode role() {
        return delta(F.objectNode().put("role", "assistant").put("content", ""), null);
    }

    /** A content delta. */
    public ObjectNode content(String text) {
        return delta(F.objectNode().put("content", text), null);
    }

    /** The finish chunk: an empty delta with its reason. */
    public ObjectNode finish(String reason) {
        return delta(F.objectNode(), reason);
    }

    /** A chunk of one choice with {@code delta} and a finish reason (null while the answer goes on). */
    public ObjectNode delta(ObjectNode delta, String finishReason) {
        ObjectNode c = head();
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        c.putNull("usage");
        return c;
    }

    /** The usage chunk: {@code choices: []} and the counts ({@code prompt_tokens, completion_tokens, total_tokens, …}). */
    public ObjectNode usage(ObjectNode usage) {
        ObjectNode c = head();
        c.putArray("choices");
        c.set("usage", usage);
        return c;
    }

    /** {@code {prompt_tokens, completion_tokens, total_tokens}}. */
    public static ObjectNode counts(int prompt, int completion) {
        return F.objectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    private ObjectNode head() {
        ObjectNode c = F.objectNode();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        return c;
    }
}
