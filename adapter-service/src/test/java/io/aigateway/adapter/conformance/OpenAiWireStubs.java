package io.aigateway.adapter.conformance;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/** OpenAI's exact wire format (PROVIDERS.md): bodies, SSE chunks, usage chunk, {@code [DONE]}, error bodies. */
public class OpenAiWireStubs implements ProviderStubs {

    protected final WireMockServer server;
    protected final String chatPath;
    protected final String modelsPath;
    protected final String model;

    public OpenAiWireStubs(WireMockServer server, String basePath, String model) {
        this.server = server;
        this.chatPath = basePath + "/chat/completions";
        this.modelsPath = basePath + "/models";
        this.model = model;
    }

    @Override
    public void reset() {
        server.resetAll();
    }

    protected void chat(ResponseDefinitionBuilder response) {
        server.stubFor(post(urlEqualTo(chatPath)).willReturn(response));
    }

    protected static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    protected String completion(String content, String usage) {
        return "{\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion\",\"created\":1741569952,\"model\":" + quote(model)
                + ",\"system_fingerprint\":\"fp_44709d6fcb\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":" + quote(content) + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":" + usage + ",\"service_tier\":\"default\"}";
    }

    @Override
    public String chatJson(String content, int promptTokens, int completionTokens) {
        String body = completion(content, "{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens
                + ",\"total_tokens\":" + (promptTokens + completionTokens)
                + ",\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}");
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("x-ratelimit-limit-requests", "10000")
                .withHeader("x-ratelimit-remaining-requests", "9999")
                .withHeader("x-ratelimit-reset-requests", "6ms")
                .withHeader("x-ratelimit-limit-tokens", "200000")
                .withHeader("x-ratelimit-remaining-tokens", "199950")
                .withHeader("x-ratelimit-reset-tokens", "15ms")
                .withBody(body));
        return body;
    }

    /** Source: platform.openai.com docs "Function calling" (chat completions response with tool_calls). */
    @Override
    public void chatJsonToolCall(String name, String argumentsJson) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
                "{\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion\",\"created\":1741569952,\"model\":" + quote(model)
                        + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{"
                        + "\"id\":\"call_12345xyz\",\"type\":\"function\",\"function\":{\"name\":" + quote(name)
                        + ",\"arguments\":" + quote(argumentsJson) + "}}],\"refusal\":null},\"logprobs\":null,"
                        + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":82,\"completion_tokens\":17,\"total_tokens\":99}}"));
    }

    @Override
    public String chatJsonWithoutUsage(String content) {
        String body = completion(content, "null");
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body));
        return body;
    }

    protected String chunk(String delta, String finish, String usage) {
        return "{\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":"
                + quote(model) + ",\"system_fingerprint\":\"fp_44709d6fcb\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + (finish == null ? "null" : quote(finish)) + "}],\"usage\":" + usage + "}";
    }

    /** The data payloads of a normal stream, in order (role, contents, finish). */
    public List<String> streamChunks(List<String> pieces) {
        List<String> chunks = new ArrayList<>();
        chunks.add(chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null, "null"));
        for (String p : pieces) {
            chunks.add(chunk("{\"content\":" + quote(p) + "}", null, "null"));
        }
        chunks.add(chunk("{}", "stop", "null"));
        return chunks;
    }

    protected String usageChunk(int prompt, int completion) {
        return "{\"id\":\"chatcmpl-abc123\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,\"model\":"
                + quote(model) + ",\"system_fingerprint\":\"fp_44709d6fcb\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
                + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion) + "}}";
    }

    protected void sse(String body) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body));
    }

    @Override
    public void chatStream(List<String> pieces, int promptTokens, int completionTokens, boolean keepAlives) {
        StringBuilder sb = new StringBuilder();
        if (keepAlives) {
            sb.append(": keep-alive\n\n");
        }
        for (String c : streamChunks(pieces)) {
            sb.append("data: ").append(c).append("\n\n");
            if (keepAlives) {
                sb.append(": keep-alive\n\n\n");
            }
        }
        sb.append("data: ").append(usageChunk(promptTokens, completionTokens)).append("\n\n");
        sb.append("data: [DONE]\n\n");
        sse(sb.toString());
    }

    @Override
    public void chatStreamWithoutUsage(List<String> pieces) {
        StringBuilder sb = new StringBuilder();
        for (String c : streamChunks(pieces)) {
            sb.append("data: ").append(c).append("\n\n");
        }
        sse(sb.append("data: [DONE]\n\n").toString());
    }

    @Override
    public void chatStreamErrorAfterFirstChunk() {
        List<String> chunks = streamChunks(List.of("Hello"));
        sse("data: " + chunks.get(0) + "\n\ndata: " + chunks.get(1) + "\n\n"
                + "data: {\"error\":{\"message\":\"The server had an error while processing your request.\","
                + "\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n");
    }

    @Override
    public void chatStreamMalformedChunk() {
        List<String> chunks = streamChunks(List.of("Hello"));
        sse("data: " + chunks.get(0) + "\n\ndata: {\"id\":\"chatcmpl-abc123\",\"choices\":[{\"delta\n\n");
    }

    @Override
    public void chatStreamOnlyKeepAlives(int totalMs) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(": keep-alive\n\n".repeat(40) + "data: " + streamChunks(List.of("late")).get(1) + "\n\ndata: [DONE]\n\n")
                .withChunkedDribbleDelay(8, totalMs));
    }

    @Override
    public void chatStreamStallsAfterFirstChunk(int totalMs) {
        String first = "data: " + streamChunks(List.of("Hi")).get(1) + "\n\n";
        // 30 pieces: the first holds the whole data chunk, the rest only keep-alives (which must not count)
        int pieces = 30;
        String padding = ": keep-alive\n\n".repeat(first.length() * pieces / 14 + 2);
        chat(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(first + padding + "data: [DONE]\n\n")
                .withChunkedDribbleDelay(pieces, totalMs));
    }

    @Override
    public void error(int status, String type, String code, String message, Map<String, String> headers) {
        ResponseDefinitionBuilder r = aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":" + quote(message) + ",\"type\":" + (type == null ? "null" : quote(type))
                        + ",\"param\":null,\"code\":" + (code == null ? "null" : quote(code)) + "}}");
        headers.forEach(r::withHeader);
        chat(r);
    }

    @Override
    public void delayed(int delayMs) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(completion("late", "{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}"))
                .withFixedDelay(delayMs));
    }

    @Override
    public void connectionReset() {
        chat(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    }

    @Override
    public void malformedJson() {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("<html>oops</html>"));
    }

    @Override
    public void health(int status) {
        server.stubFor(get(urlEqualTo(modelsPath)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(status == 200
                        ? "{\"object\":\"list\",\"data\":[{\"id\":" + quote(model) + ",\"object\":\"model\",\"created\":1686935002,\"owned_by\":\"openai\"}]}"
                        : "{\"error\":{\"message\":\"nope\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}")));
    }

    @Override
    public List<LoggedRequest> chatRequests() {
        return server.findAll(postRequestedFor(urlEqualTo(chatPath)));
    }

    @Override
    public List<LoggedRequest> healthRequests() {
        return server.findAll(getRequestedFor(urlEqualTo(modelsPath)));
    }
}
