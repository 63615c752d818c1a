package io.aigateway.adapter.conformance;

import com.github.tomakehurst.wiremock.WireMockServer;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * DeepSeek's wire format: OpenAI's, plus (PROVIDERS.md "DeepSeek"; api-docs.deepseek.com "Create Chat
 * Completion" response sample, "Context Caching", "Reasoning Model") {@code prompt_cache_hit_tokens} /
 * {@code prompt_cache_miss_tokens} in usage, {@code reasoning_content} in message and delta, blank lines
 * before a one-shot body and {@code : keep-alive} comments in streams while it works.
 */
public class DeepSeekWireStubs extends OpenAiWireStubs {

    public DeepSeekWireStubs(WireMockServer server, String basePath, String model) {
        super(server, basePath, model);
    }

    private static String usage(int prompt, int completion, int hit, String reasoningTokens) {
        return "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
                + (prompt + completion) + ",\"prompt_tokens_details\":{\"cached_tokens\":" + hit + "}"
                + (reasoningTokens == null ? "" : ",\"completion_tokens_details\":{\"reasoning_tokens\":" + reasoningTokens + "}")
                + ",\"prompt_cache_hit_tokens\":" + hit + ",\"prompt_cache_miss_tokens\":" + (prompt - hit) + "}";
    }

    /** Source: api-docs.deepseek.com "Create Chat Completion" (200 response sample). Padded by blank lines (PROVIDERS.md). */
    @Override
    public String chatJson(String content, int promptTokens, int completionTokens) {
        String body = "{\"id\":\"930c60df-bf64-41c9-a88e-3ec75f81e00e\",\"object\":\"chat.completion\",\"created\":1705651092,"
                + "\"model\":" + quote(model) + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + quote(content) + "},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":"
                + usage(promptTokens, completionTokens, Math.min(promptTokens, 8), null)
                + ",\"system_fingerprint\":\"fp_a49d71b8a1_prod0225\"}";
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("\n\n\n" + body));
        return body;
    }

    /** Source: api-docs.deepseek.com "Reasoning Model (deepseek-reasoner)": reasoning_content beside content. */
    public String chatJsonWithReasoning(String reasoning, String content, int prompt, int completion, int reasoningTokens) {
        String body = "{\"id\":\"b6ee4d8e-3f1c-4a52-9a7f-1d2c5e2f4f10\",\"object\":\"chat.completion\",\"created\":1737590000,"
                + "\"model\":" + quote(model) + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + quote(content) + ",\"reasoning_content\":" + quote(reasoning) + "},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":" + usage(prompt, completion, 0, String.valueOf(reasoningTokens))
                + ",\"system_fingerprint\":\"fp_7e73fd9a08\"}";
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body));
        return body;
    }

    @Override
    protected String usageChunk(int prompt, int completion) {
        return "{\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":"
                + quote(model) + ",\"system_fingerprint\":\"fp_a49d71b8a1_prod0225\",\"choices\":[],\"usage\":"
                + usage(prompt, completion, Math.min(prompt, 4), null) + "}";
    }

    /** DeepSeek pads every stream with keep-alive comments and blank lines while it works. */
    @Override
    public void chatStream(List<String> pieces, int promptTokens, int completionTokens, boolean keepAlives) {
        super.chatStream(pieces, promptTokens, completionTokens, true);
    }

    /** A reasoning stream: delta.reasoning_content pieces, then content pieces (source: "Reasoning Model" docs). */
    public void chatStreamWithReasoning(List<String> reasoning, List<String> content, int prompt, int completion) {
        StringBuilder sb = new StringBuilder(": keep-alive\n\n");
        sb.append("data: ").append(chunk("{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"\"}", null, "null")).append("\n\n");
        for (String r : reasoning) {
            sb.append("data: ").append(chunk("{\"content\":null,\"reasoning_content\":" + quote(r) + "}", null, "null")).append("\n\n");
        }
        for (String c : content) {
            sb.append("data: ").append(chunk("{\"content\":" + quote(c) + ",\"reasoning_content\":null}", null, "null")).append("\n\n");
        }
        sb.append("data: ").append(chunk("{\"content\":\"\",\"reasoning_content\":null}", "stop", "null")).append("\n\n");
        sb.append("data: ").append(usageChunk(prompt, completion)).append("\n\n");
        sb.append("data: [DONE]\n\n");
        sse(sb.toString());
    }
}
