package io.aigateway.adapter.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.aigateway.adapter.conformance.AdapterTestProfile;
import io.aigateway.adapter.conformance.AnthropicWireStubs;
import io.aigateway.adapter.conformance.Capability;
import io.aigateway.adapter.conformance.ProviderConformanceTest;
import io.aigateway.adapter.conformance.WireMockProviderResource;
import io.aigateway.contracts.internal.AigwHeaders;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kind {@code anthropic} (test provider {@code anthtest}) against WireMock speaking the Messages API. */
@QuarkusTest
@TestProfile(AdapterTestProfile.class)
class AnthropicAdapterConformanceTest extends ProviderConformanceTest {

    @WireMockProviderResource.InjectWireMock
    WireMockServer wireMock;

    @Override
    protected String providerId() {
        return "anthtest";
    }

    @Override
    protected String model() {
        return "claude-3-5-haiku-20241022";
    }

    @Override
    protected BigDecimal promptPricePer1k() {
        return new BigDecimal("0.0008");
    }

    @Override
    protected BigDecimal completionPricePer1k() {
        return new BigDecimal("0.004");
    }

    @Override
    protected String apiKey() {
        return WireMockProviderResource.ANTHROPIC_KEY;
    }

    @Override
    protected Map.Entry<String, String> expectedAuthHeader() {
        return Map.entry("x-api-key", WireMockProviderResource.ANTHROPIC_KEY);
    }

    @Override
    protected Set<String> allowedUpstreamHeaders() {
        return Set.of("host", "content-type", "content-length", "accept", "x-api-key", "anthropic-version",
                "x-request-id", "connection", "transfer-encoding");
    }

    /** Running out of credit is 402 billing_error (tested below), not OpenAI's 429 insufficient_quota. */
    @Override
    protected Set<Capability> notApplicable() {
        return Set.of(Capability.CREDIT_402);
    }

    @Override
    protected boolean relaysBodyUnchanged() {
        return false;
    }

    @Override
    protected boolean passesUnknownFields() {
        return false;
    }

    @Override
    protected void assertStreamRequest(JsonNode sent) {
        assertTrue(sent.get("stream").asBoolean());
        assertFalse(sent.has("stream_options"));
    }

    @Override
    protected AnthropicWireStubs stubs() {
        return new AnthropicWireStubs(wireMock, "/anthropic/v1", model());
    }

    @Test
    void requestIsTranslatedToMessages() throws Exception {
        stubs().chatJson("ok", 5, 1);
        assertEquals(200, post("req-" + UUID.randomUUID(), body(false), false).statusCode());
        var req = stubs().chatRequests().get(0);
        assertEquals("2023-06-01", req.getHeader("anthropic-version"));
        JsonNode sent = json(req.getBodyAsString());
        assertEquals("You are terse.", sent.get("system").asText());
        assertEquals(1, sent.get("messages").size());
        assertEquals("user", sent.at("/messages/0/role").asText());
        assertEquals("Say hello to the gateway", sent.at("/messages/0/content").asText());
        assertEquals(4096, sent.get("max_tokens").asInt(), "max_tokens is required by Anthropic");
        assertEquals(0.2, sent.get("temperature").asDouble());
    }

    @Test
    void toolHistoryIsTranslated() throws Exception {
        stubs().chatJson("It is sunny.", 50, 5);
        String req = "{\"model\":\"" + model() + "\",\"max_tokens\":100,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"toolu_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"location\\\":\\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"toolu_1\",\"content\":\"sunny, 21C\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}],"
                + "\"tool_choice\":\"required\"}";
        Response r = post("req-" + UUID.randomUUID(), req, false);
        assertEquals(200, r.statusCode(), r.asString());
        JsonNode sent = json(stubs().chatRequests().get(0).getBodyAsString());
        assertEquals("tool_use", sent.at("/messages/1/content/0/type").asText());
        assertEquals("Paris", sent.at("/messages/1/content/0/input/location").asText());
        assertEquals("tool_result", sent.at("/messages/2/content/0/type").asText());
        assertEquals("toolu_1", sent.at("/messages/2/content/0/tool_use_id").asText());
        assertEquals("get_weather", sent.at("/tools/0/name").asText());
        assertEquals("object", sent.at("/tools/0/input_schema/type").asText());
        assertEquals("any", sent.at("/tool_choice/type").asText());
    }

    /** docs.anthropic.com "Rate limits": anthropic-ratelimit-* response headers. */
    @Test
    void rateLimitHeadersAreExposed() {
        stubs().chatJson("ok", 5, 1);
        assertEquals(200, post("req-" + UUID.randomUUID(), body(false), false).statusCode());
        io.restassured.RestAssured.given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN)
                .get("/internal/v1/providers/" + providerId() + "/health").then().statusCode(200)
                .body("rateLimit.limitRequests", org.hamcrest.Matchers.equalTo(50))
                .body("rateLimit.remainingTokens", org.hamcrest.Matchers.equalTo(39000));
        io.restassured.RestAssured.given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN)
                .get("/internal/v1/providers").then().statusCode(200)
                .body("find { it.id == 'anthtest' }.rateLimit.remainingRequests", org.hamcrest.Matchers.equalTo(49));
    }

    /** "Streaming Messages" tool use example: tool_use block start, input_json_delta fragments, stop_reason tool_use. */
    @Test
    void streamedToolUseBecomesToolCallDeltas() throws Exception {
        String e = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_014p7gG3wDgGV9EUtLvnow3U\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model() + "\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":472,\"output_tokens\":2},\"content\":[],\"stop_reason\":null}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Checking.\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
                + "\"id\":\"toolu_01T1x1fJ34qAmk2tNTrN7Up6\",\"name\":\"get_weather\",\"input\":{}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"location\\\": \"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":89}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/anthropic/v1/messages"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/event-stream").withBody(e)));
        Response r = post("req-" + UUID.randomUUID(), body(true), true);
        assertEquals(200, r.statusCode());
        StringBuilder args = new StringBuilder();
        String name = null;
        String finish = null;
        String text = "";
        for (var ev : events(r)) {
            if (ev.event() != null || ev.data().equals("[DONE]")) {
                continue;
            }
            JsonNode c = json(ev.data());
            JsonNode tc = c.at("/choices/0/delta/tool_calls/0");
            if (!tc.isMissingNode()) {
                assertEquals(0, tc.get("index").asInt());
                if (tc.at("/function/name").isTextual()) {
                    name = tc.at("/function/name").asText();
                    assertEquals("toolu_01T1x1fJ34qAmk2tNTrN7Up6", tc.get("id").asText());
                }
                args.append(tc.at("/function/arguments").asText(""));
            }
            if (c.at("/choices/0/delta/content").isTextual()) {
                text += c.at("/choices/0/delta/content").asText();
            }
            if (c.at("/choices/0/finish_reason").isTextual()) {
                finish = c.at("/choices/0/finish_reason").asText();
            }
        }
        assertEquals("Checking.", text);
        assertEquals("get_weather", name);
        assertEquals("Paris", json(args.toString()).get("location").asText());
        assertEquals("tool_calls", finish);
        var all = events(r);
        JsonNode usage = json(all.get(all.size() - 2).data());
        assertEquals(472, usage.get("promptTokens").asInt());
        assertEquals(89, usage.get("completionTokens").asInt());
    }

    @Test
    void overloaded529IsOverloaded() throws Exception {
        stubs().error(529, null, null, "Overloaded", Map.of());
        JsonNode e = expectError(502, "OVERLOADED");
        assertEquals(529, e.get("providerStatus").asInt());
    }

    @Test
    void billing402IsInsufficientCredit() throws Exception {
        stubs().error(402, null, null, "Your credit balance is too low to access the Anthropic API.", Map.of());
        expectError(502, "INSUFFICIENT_CREDIT");
    }

    @Test
    void overloadedErrorEventMidStream() throws Exception {
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/anthropic/v1/messages"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/event-stream")
                        .withBody("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                                + "\"role\":\"assistant\",\"content\":[],\"model\":\"" + model() + "\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n"
                                + "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n")));
        Response r = post("req-" + UUID.randomUUID(), body(true), true);
        assertEquals(200, r.statusCode());
        var events = events(r);
        var last = events.get(events.size() - 1);
        assertEquals(AigwHeaders.EVENT_ERROR, last.event(), r.asString());
        assertEquals("OVERLOADED", json(last.data()).get("errorClass").asText());
    }

    @Test
    void responseFormatIsAClear400() throws Exception {
        String req = "{\"model\":\"" + model() + "\",\"response_format\":{\"type\":\"json_object\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        Response r = post("req-" + UUID.randomUUID(), req, false);
        assertEquals(400, r.statusCode(), r.asString());
        assertTrue(json(r.asString()).get("message").asText().contains("response_format"));
    }
}
