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

/**
 * Ollama's native wire format. Sources: PROVIDERS.md "Ollama"; ollama docs/api.md "Generate a chat
 * completion" (NDJSON stream lines, final {@code done:true} line with {@code done_reason},
 * {@code prompt_eval_count}, {@code eval_count}, durations; non-streaming response; "Chat request (with
 * tools)"), "List Local Models" ({@code /api/tags}), "Version" ({@code /api/version}); errors
 * {@code {"error":"…"}}. Fixtures marked {@code assumed} have no documented body.
 */
public class OllamaWireStubs implements ProviderStubs {

    private final WireMockServer server;
    private final String chatPath;
    private final String tagsPath;
    private final String versionPath;
    private final String model;

    public OllamaWireStubs(WireMockServer server, String rootPath, String model) {
        this.server = server;
        this.chatPath = rootPath + "/api/chat";
        this.tagsPath = rootPath + "/api/tags";
        this.versionPath = rootPath + "/api/version";
        this.model = model;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void reset() {
        server.resetAll();
    }

    private void chat(ResponseDefinitionBuilder r) {
        server.stubFor(post(urlEqualTo(chatPath)).willReturn(r));
    }

    private String line(String content, boolean done, String counts) {
        return "{\"model\":" + quote(model) + ",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\","
                + "\"message\":{\"role\":\"assistant\",\"content\":" + quote(content) + "},\"done\":" + done
                + (done ? ",\"done_reason\":\"stop\",\"total_duration\":4883583458,\"load_duration\":1334875" + counts
                + ",\"prompt_eval_duration\":342546000,\"eval_duration\":1506823000" : "") + "}";
    }

    private static String counts(int prompt, int completion) {
        return ",\"prompt_eval_count\":" + prompt + ",\"eval_count\":" + completion;
    }

    /** docs/api.md "Chat request (No streaming)" response. */
    @Override
    public String chatJson(String content, int promptTokens, int completionTokens) {
        String body = line(content, true, counts(promptTokens, completionTokens));
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body));
        return body;
    }

    /** docs/api.md "Chat request (with tools)" response: arguments are an object. */
    @Override
    public void chatJsonToolCall(String name, String argumentsJson) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
                "{\"model\":" + quote(model) + ",\"created_at\":\"2024-07-22T20:33:28.123648Z\",\"message\":{\"role\":\"assistant\","
                        + "\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":" + quote(name) + ",\"arguments\":" + argumentsJson
                        + "}}]},\"done_reason\":\"stop\",\"done\":true,\"total_duration\":885095291,\"load_duration\":3753500,"
                        + "\"prompt_eval_count\":122,\"prompt_eval_duration\":328493000,\"eval_count\":33,\"eval_duration\":552222000}"));
    }

    /** assumed: the documented final object without the counts. */
    @Override
    public String chatJsonWithoutUsage(String content) {
        String body = line(content, true, "");
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body));
        return body;
    }

    private void ndjson(String body) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/x-ndjson").withBody(body));
    }

    /** docs/api.md "Chat Request (Streaming)": one object per line, final done line with counts. */
    @Override
    public void chatStream(List<String> pieces, int promptTokens, int completionTokens, boolean keepAlives) {
        StringBuilder sb = new StringBuilder();
        for (String p : pieces) {
            sb.append(line(p, false, "")).append('\n');
            if (keepAlives) {
                sb.append('\n'); // assumed: blank padding lines are tolerated
            }
        }
        sb.append(line("", true, counts(promptTokens, completionTokens))).append('\n');
        ndjson(sb.toString());
    }

    /** assumed: final line without counts. */
    @Override
    public void chatStreamWithoutUsage(List<String> pieces) {
        StringBuilder sb = new StringBuilder();
        for (String p : pieces) {
            sb.append(line(p, false, "")).append('\n');
        }
        ndjson(sb.append(line("", true, "")).append('\n').toString());
    }

    /** PROVIDERS.md: a mid-stream error is a line {"error":"…"} with status 200. */
    @Override
    public void chatStreamErrorAfterFirstChunk() {
        ndjson(line("Hello", false, "") + "\n{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n");
    }

    @Override
    public void chatStreamMalformedChunk() {
        ndjson(line("Hello", false, "") + "\n{\"model\":\"x\",\"mess\n");
    }

    /** assumed: blank lines only (Ollama sends nothing while loading; blank padding must not count). */
    @Override
    public void chatStreamOnlyKeepAlives(int totalMs) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/x-ndjson")
                .withBody("\n".repeat(4000) + line("late", false, "") + "\n" + line("", true, counts(1, 1)) + "\n")
                .withChunkedDribbleDelay(8, totalMs));
    }

    @Override
    public void chatStreamStallsAfterFirstChunk(int totalMs) {
        String first = line("Hi", false, "") + "\n";
        int pieces = 30;
        String padding = "\n".repeat(first.length() * pieces + 2);
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/x-ndjson")
                .withBody(first + padding + line("", true, counts(1, 1)) + "\n")
                .withChunkedDribbleDelay(pieces, totalMs));
    }

    /** docs/api.md "Errors": {"error":"…"} with the status (400/404/500; 503 when the queue is full). */
    @Override
    public void error(int status, String type, String code, String message, Map<String, String> headers) {
        ResponseDefinitionBuilder r = aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":" + quote(message) + "}");
        headers.forEach(r::withHeader);
        chat(r);
    }

    @Override
    public void delayed(int delayMs) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(line("late", true, counts(1, 1))).withFixedDelay(delayMs));
    }

    @Override
    public void connectionReset() {
        chat(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    }

    @Override
    public void malformedJson() {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("<html>oops</html>"));
    }

    /** docs/api.md "Version": {"version":"0.5.1"}; "List Local Models" for discovery. */
    @Override
    public void health(int status) {
        server.stubFor(get(urlEqualTo(versionPath)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(status == 200 ? "{\"version\":\"0.5.1\"}" : "{\"error\":\"internal error\"}")));
        tags(List.of(model));
    }

    public void tags(List<String> names) {
        StringBuilder models = new StringBuilder();
        for (String n : names) {
            if (models.length() > 0) {
                models.append(',');
            }
            models.append("{\"name\":").append(quote(n)).append(",\"model\":").append(quote(n))
                    .append(",\"modified_at\":\"2025-05-04T17:37:44.706015396-07:00\",\"size\":2019393189,")
                    .append("\"digest\":\"a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72\",")
                    .append("\"details\":{\"parent_model\":\"\",\"format\":\"gguf\",\"family\":\"llama\",\"families\":[\"llama\"],")
                    .append("\"parameter_size\":\"3.2B\",\"quantization_level\":\"Q4_K_M\"}}");
        }
        server.stubFor(get(urlEqualTo(tagsPath)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"models\":[" + models + "]}")));
    }

    @Override
    public List<LoggedRequest> chatRequests() {
        return server.findAll(postRequestedFor(urlEqualTo(chatPath)));
    }

    @Override
    public List<LoggedRequest> healthRequests() {
        List<LoggedRequest> all = new ArrayList<>(server.findAll(getRequestedFor(urlEqualTo(versionPath))));
        all.addAll(server.findAll(getRequestedFor(urlEqualTo(tagsPath))));
        return all;
    }
}
