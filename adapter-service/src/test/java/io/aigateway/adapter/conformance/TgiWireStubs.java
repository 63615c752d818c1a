package io.aigateway.adapter.conformance;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * Hugging Face text-generation-inference. Sources: PROVIDERS.md "Hugging Face" (generate → generated_text +
 * details{finish_reason, generated_tokens}; generate_stream token events without [DONE]; errors
 * {"error","error_type"} 422/424/429; 503 "currently loading" + estimated_time; x-prompt-tokens /
 * x-generated-tokens headers); TGI OpenAPI (StreamDetails with input_length — verify, TGI ≥ 2.x).
 * Fixtures marked {@code assumed} have no documented body.
 */
public class TgiWireStubs implements ProviderStubs {

    private final WireMockServer server;
    private final String generatePath;
    private final String streamPath;
    private final String healthPath;

    public TgiWireStubs(WireMockServer server, String rootPath) {
        this.server = server;
        this.generatePath = rootPath + "/generate";
        this.streamPath = rootPath + "/generate_stream";
        this.healthPath = rootPath + "/health";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void reset() {
        server.resetAll();
    }

    public void generate(ResponseDefinitionBuilder r) {
        server.stubFor(post(urlEqualTo(generatePath)).willReturn(r));
    }

    private void stream(ResponseDefinitionBuilder r) {
        server.stubFor(post(urlEqualTo(streamPath)).willReturn(r));
    }

    private void both(ResponseDefinitionBuilder r) {
        generate(r);
        stream(r);
    }

    private static String answer(String content, int completion, String finish) {
        return "{\"generated_text\":" + quote(content) + ",\"details\":{\"finish_reason\":\"" + finish + "\",\"generated_tokens\":"
                + completion + ",\"seed\":null,\"prefill\":[],\"tokens\":[]}}";
    }

    @Override
    public String chatJson(String content, int promptTokens, int completionTokens) {
        String body = answer(content + "</s>", completionTokens, "eos_token");
        generate(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("x-compute-type", "gpu+optimized").withHeader("x-prompt-tokens", String.valueOf(promptTokens))
                .withHeader("x-generated-tokens", String.valueOf(completionTokens)).withBody(body));
        return body;
    }

    @Override
    public void chatJsonToolCall(String name, String argumentsJson) {
        throw new UnsupportedOperationException("TGI /generate has no tool calls");
    }

    /** assumed: no count headers and no details. */
    @Override
    public String chatJsonWithoutUsage(String content) {
        String body = "[{\"generated_text\":" + quote(content) + "}]";
        generate(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body));
        return body;
    }

    private static String token(int i, String text, boolean special, String generated, String details) {
        return "data:{\"index\":" + i + ",\"token\":{\"id\":" + (1000 + i) + ",\"text\":" + quote(text) + ",\"logprob\":-0.25,\"special\":"
                + special + "},\"generated_text\":" + (generated == null ? "null" : quote(generated)) + ",\"details\":"
                + (details == null ? "null" : details) + "}\n\n";
    }

    private static String events(List<String> pieces, String details, boolean keepAlives) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pieces.size(); i++) {
            sb.append(token(i + 1, pieces.get(i), false, null, null));
            if (keepAlives) {
                sb.append(":\n\n");
            }
        }
        sb.append(token(pieces.size() + 1, "</s>", true, String.join("", pieces), details));
        return sb.toString();
    }

    private void sse(String body) {
        stream(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body));
    }

    @Override
    public void chatStream(List<String> pieces, int promptTokens, int completionTokens, boolean keepAlives) {
        sse(events(pieces, "{\"finish_reason\":\"eos_token\",\"generated_tokens\":" + completionTokens
                + ",\"seed\":null,\"input_length\":" + promptTokens + "}", keepAlives));
    }

    /** assumed: StreamDetails of TGI before input_length existed. */
    @Override
    public void chatStreamWithoutUsage(List<String> pieces) {
        sse(events(pieces, "{\"finish_reason\":\"eos_token\",\"generated_tokens\":" + pieces.size() + ",\"seed\":null}", false));
    }

    @Override
    public void chatStreamErrorAfterFirstChunk() {
        sse(token(1, "Hello", false, null, null)
                + "data:{\"error\":\"Request failed during generation: Server error: CUDA out of memory\",\"error_type\":\"generation\"}\n\n");
    }

    @Override
    public void chatStreamMalformedChunk() {
        sse(token(1, "Hello", false, null, null) + "data:{\"index\":2,\"tok\n\n");
    }

    /** TGI (axum) keep-alive comments ":" only. */
    @Override
    public void chatStreamOnlyKeepAlives(int totalMs) {
        stream(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(":\n\n".repeat(600) + events(List.of("late"), "{\"finish_reason\":\"eos_token\",\"generated_tokens\":1,\"seed\":null}", false))
                .withChunkedDribbleDelay(8, totalMs));
    }

    @Override
    public void chatStreamStallsAfterFirstChunk(int totalMs) {
        String first = token(1, "Hi", false, null, null);
        int pieces = 30;
        String padding = ":\n\n".repeat(first.length() * pieces / 3 + 2);
        stream(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(first + padding).withChunkedDribbleDelay(pieces, totalMs));
    }

    /** {"error":"…","error_type":"…"}; a context overflow is TGI's 422 validation message. */
    @Override
    public void error(int status, String type, String code, String message, Map<String, String> headers) {
        int s = status;
        String text = message;
        String errorType = status == 422 ? "validation" : status == 424 ? "generation" : status == 429 ? "overloaded" : "error";
        if ("context_length_exceeded".equals(code)) {
            s = 422;
            errorType = "validation";
            text = "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 200 `max_new_tokens`";
        }
        ResponseDefinitionBuilder r = aResponse().withStatus(s).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":" + quote(text) + ",\"error_type\":\"" + errorType + "\"}");
        headers.forEach(r::withHeader);
        both(r);
    }

    /** PROVIDERS.md: 503 {"error":"Model … is currently loading","estimated_time":20.0}. */
    public static ResponseDefinitionBuilder loading(String model, double estimatedSeconds) {
        return aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"Model " + model + " is currently loading\",\"estimated_time\":" + estimatedSeconds + "}");
    }

    @Override
    public void delayed(int delayMs) {
        generate(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(answer("late", 1, "eos_token")).withFixedDelay(delayMs));
    }

    @Override
    public void connectionReset() {
        both(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    }

    @Override
    public void malformedJson() {
        generate(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("<html>oops</html>"));
    }

    @Override
    public void health(int status) {
        server.stubFor(get(urlEqualTo(healthPath)).willReturn(aResponse().withStatus(status)));
    }

    @Override
    public List<LoggedRequest> chatRequests() {
        List<LoggedRequest> all = new java.util.ArrayList<>(server.findAll(postRequestedFor(urlEqualTo(generatePath))));
        all.addAll(server.findAll(postRequestedFor(urlEqualTo(streamPath))));
        return all;
    }

    @Override
    public List<LoggedRequest> healthRequests() {
        return server.findAll(getRequestedFor(urlEqualTo(healthPath)));
    }
}
