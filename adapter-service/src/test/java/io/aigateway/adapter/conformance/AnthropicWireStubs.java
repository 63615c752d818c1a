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
 * Anthropic Messages wire format. Sources: PROVIDERS.md "Anthropic Messages"; docs.anthropic.com "Messages"
 * (response example), "Streaming Messages" (event flow message_start, content_block_start, ping,
 * content_block_delta, content_block_stop, message_delta, message_stop; error event), "Errors" (status → type,
 * body {"type":"error","error":{type,message}}), "Tool use" (tool_use block), "Models" (GET /v1/models).
 * Fixtures marked {@code assumed} have no documented body.
 */
public class AnthropicWireStubs implements ProviderStubs {

    private final WireMockServer server;
    private final String chatPath;
    private final String modelsPath;
    private final String model;

    public AnthropicWireStubs(WireMockServer server, String basePath, String model) {
        this.server = server;
        this.chatPath = basePath + "/messages";
        this.modelsPath = basePath + "/models";
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

    private String message(String content, String usage) {
        return "{\"id\":\"msg_013Zva2CMHLNnXjNJJKqJ2EF\",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + quote(model)
                + ",\"content\":[{\"type\":\"text\",\"text\":" + quote(content) + "}],\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null" + usage + "}";
    }

    @Override
    public String chatJson(String content, int promptTokens, int completionTokens) {
        String body = message(content, ",\"usage\":{\"input_tokens\":" + promptTokens + ",\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":0,\"output_tokens\":" + completionTokens + "}");
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("request-id", "req_018EeWyXxfu5pfWkrYcMdjWG")
                .withHeader("anthropic-ratelimit-requests-limit", "50")
                .withHeader("anthropic-ratelimit-requests-remaining", "49")
                .withHeader("anthropic-ratelimit-requests-reset", "2025-01-01T00:00:01Z")
                .withHeader("anthropic-ratelimit-tokens-limit", "40000")
                .withHeader("anthropic-ratelimit-tokens-remaining", "39000")
                .withBody(body));
        return body;
    }

    /** "Tool use": stop_reason tool_use, a tool_use block with an input object. */
    @Override
    public void chatJsonToolCall(String name, String argumentsJson) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
                "{\"id\":\"msg_01Aq9w938a90dw8q\",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + quote(model)
                        + ",\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"content\":[{\"type\":\"text\",\"text\":"
                        + "\"I'll check the weather.\"},{\"type\":\"tool_use\",\"id\":\"toolu_01A09q90qw90lq917835lq9\","
                        + "\"name\":" + quote(name) + ",\"input\":" + argumentsJson + "}],"
                        + "\"usage\":{\"input_tokens\":384,\"output_tokens\":61}}"));
    }

    /** assumed: Anthropic always sends usage; this is the documented body without it. */
    @Override
    public String chatJsonWithoutUsage(String content) {
        String body = message(content, "");
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body));
        return body;
    }

    private static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private String start(String usage) {
        return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":" + quote(model)
                + ",\"stop_reason\":null,\"stop_sequence\":null" + usage + "}}")
                + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
                + event("ping", "{\"type\": \"ping\"}");
    }

    private static String delta(String text) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
                + quote(text) + "}}");
    }

    private static String end(String usage) {
        return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null}"
                + usage + "}")
                + event("message_stop", "{\"type\":\"message_stop\"}");
    }

    private void sse(String body) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body));
    }

    @Override
    public void chatStream(List<String> pieces, int promptTokens, int completionTokens, boolean keepAlives) {
        StringBuilder sb = new StringBuilder(start(",\"usage\":{\"input_tokens\":" + promptTokens + ",\"output_tokens\":1}"));
        for (String p : pieces) {
            sb.append(delta(p));
            if (keepAlives) {
                sb.append(event("ping", "{\"type\": \"ping\"}"));
            }
        }
        sb.append(end(",\"usage\":{\"output_tokens\":" + completionTokens + "}"));
        sse(sb.toString());
    }

    /** assumed: the documented flow without usage objects. */
    @Override
    public void chatStreamWithoutUsage(List<String> pieces) {
        StringBuilder sb = new StringBuilder(start(""));
        pieces.forEach(p -> sb.append(delta(p)));
        sse(sb.append(end("")).toString());
    }

    /** "Streaming Messages" → error events: {"type":"error","error":{"type":"overloaded_error",…}}; here api_error. */
    @Override
    public void chatStreamErrorAfterFirstChunk() {
        sse(start(",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}") + delta("Hello")
                + event("error", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}"));
    }

    @Override
    public void chatStreamMalformedChunk() {
        sse(start(",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}") + "event: content_block_delta\ndata: {\"type\":\"content_blo\n\n");
    }

    /** ping events only: they must not count as data. */
    @Override
    public void chatStreamOnlyKeepAlives(int totalMs) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(event("ping", "{\"type\": \"ping\"}").repeat(40) + start(",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}")
                        + delta("late") + end(",\"usage\":{\"output_tokens\":1}"))
                .withChunkedDribbleDelay(8, totalMs));
    }

    @Override
    public void chatStreamStallsAfterFirstChunk(int totalMs) {
        String first = start(",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}") + delta("Hi");
        int pieces = 30;
        String ping = event("ping", "{\"type\": \"ping\"}");
        String padding = ping.repeat(first.length() * pieces / ping.length() + 2);
        chat(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(first + padding + end(",\"usage\":{\"output_tokens\":1}"))
                .withChunkedDribbleDelay(pieces, totalMs));
    }

    /** "Errors": the documented type of each status; a context overflow says "prompt is too long". */
    @Override
    public void error(int status, String type, String code, String message, Map<String, String> headers) {
        String anthropicType = switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            case 529, 503 -> "overloaded_error";
            default -> "api_error";
        };
        String text = "context_length_exceeded".equals(code) ? "prompt is too long: 208473 tokens > 200000 maximum" : message;
        ResponseDefinitionBuilder r = aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"" + anthropicType + "\",\"message\":" + quote(text) + "}}");
        headers.forEach(r::withHeader);
        chat(r);
    }

    @Override
    public void delayed(int delayMs) {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(message("late", ",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}")).withFixedDelay(delayMs));
    }

    @Override
    public void connectionReset() {
        chat(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    }

    @Override
    public void malformedJson() {
        chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("<html>oops</html>"));
    }

    /** "Models": GET /v1/models → {"data":[{type:"model",id,display_name,created_at}],has_more,first_id,last_id}. */
    @Override
    public void health(int status) {
        server.stubFor(get(urlEqualTo(modelsPath)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(status == 200
                        ? "{\"data\":[{\"type\":\"model\",\"id\":" + quote(model) + ",\"display_name\":\"Claude\",\"created_at\":\"2025-02-19T00:00:00Z\"}],"
                        + "\"has_more\":false,\"first_id\":" + quote(model) + ",\"last_id\":" + quote(model) + "}"
                        : "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}")));
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
