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
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * Gemini (Generative Language API v1beta) wire format. Sources: ai.google.dev API reference "Generating content"
 * ({@code models.generateContent}, {@code models.streamGenerateContent} with {@code alt=sse}: one
 * {@code GenerateContentResponse} per {@code data:} line, no {@code [DONE]}; {@code candidates[].content.parts[].text},
 * {@code finishReason}, {@code usageMetadata{promptTokenCount,candidatesTokenCount,totalTokenCount}},
 * {@code modelVersion}, {@code responseId}), "Function calling" ({@code functionCall{name,args}} parts), "Models"
 * ({@code GET /v1beta/models} → {@code {models:[{name:"models/…",…}],nextPageToken}}), "Troubleshooting" (error codes
 * → {@code {"error":{code,message,status}}}: 400 INVALID_ARGUMENT / FAILED_PRECONDITION, 403 PERMISSION_DENIED,
 * 404 NOT_FOUND, 429 RESOURCE_EXHAUSTED, 500 INTERNAL, 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED). Fixtures marked
 * {@code assumed} have no documented body.
 */
public class GeminiWireStubs implements ProviderStubs {

    private final WireMockServer server;
    private final String chatPathPattern;
    private final String modelsPath;
    private final String model;

    public GeminiWireStubs(WireMockServer server, String basePath, String model) {
        this.server = server;
        this.chatPathPattern = basePath.replace(".", "\\.") + "/models/" + model.replace(".", "\\.")
                + ":(generateContent|streamGenerateContent)";
        this.modelsPath = basePath + "/models";
        this.model = model;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void reset() {
        server.resetAll();
    }

    public void chat(ResponseDefinitionBuilder r) {
        server.stubFor(post(urlPathMatching(chatPathPattern)).willReturn(r));
    }

    static String usage(int prompt, int completion) {
        return ",\"usageMetadata\":{\"promptTokenCount\":" + prompt + ",\"candidatesTokenCount\":" + completion
                + ",\"totalTokenCount\":" + (prompt + completion) + ",\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":"
                + prompt + "}]}";
    }

    /** One {@code GenerateContentResponse}: one candidate with a text part, a finish reason (or none), extra fields. */
    String response(String text, String finishReason, String usage) {
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + quote(text) + "}],\"role\":\"model\"}"
                + (finishReason == null ? "" : ",\"finishReason\":\"" + finishReason + "\"")
                + ",\"index\":0}]" + usage + ",\"modelVersion\":" + quote(model)
                + ",\"responseId\":\"kdLbaKXhL7yYxN8P9oTz4Ac\"}";
    }

    @Override
    public String chatJson(String content, int promptTokens, int completionTokens) {
        String body = response(content, "STOP", usage(promptTokens, completionTokens));
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=UTF-8").withBody(body));
        return body;
    }

    /** "Function calling": a functionCall part with args, finishReason STOP. */
    @Override
    public void chatJsonToolCall(String name, String argumentsJson) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=UTF-8").withBody(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":" + quote(name) + ",\"args\":"
                        + argumentsJson + "}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}]"
                        + usage(58, 7) + ",\"modelVersion\":" + quote(model) + "}"));
    }

    /** assumed: Gemini always sends usageMetadata; this is the documented body without it. */
    @Override
    public String chatJsonWithoutUsage(String content) {
        String body = response(content, "STOP", "");
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=UTF-8").withBody(body));
        return body;
    }

    static String frame(String json) {
        return "data: " + json + "\r\n\r\n";
    }

    private void sse(String body) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body));
    }

    /** Every frame carries the usage so far (prompt only until the last); the last frame the finish reason and full usage. */
    @Override
    public void chatStream(List<String> pieces, int promptTokens, int completionTokens, boolean keepAlives) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pieces.size(); i++) {
            boolean last = i == pieces.size() - 1;
            sb.append(frame(response(pieces.get(i), last ? "STOP" : null,
                    last ? usage(promptTokens, completionTokens)
                            : ",\"usageMetadata\":{\"promptTokenCount\":" + promptTokens + ",\"totalTokenCount\":" + promptTokens + "}")));
            if (keepAlives && !last) {
                sb.append(": keep-alive\r\n\r\n"); // assumed: Gemini sends none; comments must be ignored anyway
            }
        }
        sse(sb.toString());
    }

    @Override
    public void chatStreamWithoutUsage(List<String> pieces) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pieces.size(); i++) {
            sb.append(frame(response(pieces.get(i), i == pieces.size() - 1 ? "STOP" : null, "")));
        }
        sse(sb.toString());
    }

    /** assumed: an error after data arrives as a google.rpc.Status frame. */
    @Override
    public void chatStreamErrorAfterFirstChunk() {
        sse(frame(response("Hello", null, "")) + frame("{\"error\":{\"code\":500,\"message\":\"An internal error has occurred. "
                + "Please retry or report in https://developers.generativeai.google/guide/troubleshooting\",\"status\":\"INTERNAL\"}}"));
    }

    @Override
    public void chatStreamMalformedChunk() {
        sse(frame(response("Hello", null, "")) + "data: {\"candidates\":[{\"conte\r\n\r\n");
    }

    @Override
    public void chatStreamOnlyKeepAlives(int totalMs) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(": keep-alive\r\n\r\n".repeat(40) + frame(response("late", "STOP", usage(1, 1))))
                .withChunkedDribbleDelay(8, totalMs));
    }

    @Override
    public void chatStreamStallsAfterFirstChunk(int totalMs) {
        String first = frame(response("Hi", null, ""));
        int pieces = 30;
        String ping = ": keep-alive\r\n\r\n";
        String padding = ping.repeat(first.length() * pieces / ping.length() + 2);
        chat(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(first + padding + frame(response("!", "STOP", usage(1, 2))))
                .withChunkedDribbleDelay(pieces, totalMs));
    }

    /** The google.rpc.Status name of an HTTP status ("Troubleshooting"). */
    static String grpcStatus(int status) {
        return switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> "INTERNAL";
        };
    }

    /** A Google error body; a context overflow is 400 INVALID_ARGUMENT "The input token count … exceeds the maximum …". */
    @Override
    public void error(int status, String type, String code, String message, Map<String, String> headers) {
        String text = "context_length_exceeded".equals(code)
                ? "The input token count (9000) exceeds the maximum number of tokens allowed (8192)." : message;
        ResponseDefinitionBuilder r = aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=UTF-8")
                .withBody(errorBody(status, grpcStatus(status), text, ""));
        headers.forEach(r::withHeader);
        chat(r);
    }

    static String errorBody(int code, String status, String message, String details) {
        return "{\n  \"error\": {\n    \"code\": " + code + ",\n    \"message\": " + quote(message) + ",\n    \"status\": \""
                + status + "\"" + (details.isEmpty() ? "" : ",\n    \"details\": " + details) + "\n  }\n}\n";
    }

    @Override
    public void delayed(int delayMs) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(response("late", "STOP", usage(1, 1))).withFixedDelay(delayMs));
    }

    @Override
    public void connectionReset() {
        chat(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    }

    @Override
    public void malformedJson() {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("<html>oops</html>"));
    }

    /** "Models": GET /v1beta/models → {models:[{name:"models/…",version,displayName,inputTokenLimit,…}]}. */
    @Override
    public void health(int status) {
        server.stubFor(get(urlEqualTo(modelsPath)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(status == 200
                        ? "{\"models\":[{\"name\":\"models/" + model + "\",\"version\":\"001\",\"displayName\":\"Gemini\","
                        + "\"inputTokenLimit\":1048576,\"outputTokenLimit\":8192,"
                        + "\"supportedGenerationMethods\":[\"generateContent\",\"countTokens\"]}]}"
                        : errorBody(500, "INTERNAL", "An internal error has occurred.", ""))));
    }

    @Override
    public List<LoggedRequest> chatRequests() {
        return server.findAll(postRequestedFor(urlPathMatching(chatPathPattern)));
    }

    @Override
    public List<LoggedRequest> healthRequests() {
        return server.findAll(getRequestedFor(urlEqualTo(modelsPath)));
    }
}
