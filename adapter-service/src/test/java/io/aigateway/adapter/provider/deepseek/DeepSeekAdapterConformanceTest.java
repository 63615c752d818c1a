package io.aigateway.adapter.provider.deepseek;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.aigateway.adapter.conformance.AdapterTestProfile;
import io.aigateway.adapter.conformance.DeepSeekWireStubs;
import io.aigateway.adapter.conformance.ProviderConformanceTest;
import io.aigateway.adapter.conformance.ProviderStubs;
import io.aigateway.adapter.conformance.WireMockProviderResource;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.SseParser;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Kind {@code deepseek} (test provider {@code dstest}) against WireMock speaking DeepSeek's wire format. */
@QuarkusTest
@TestProfile(AdapterTestProfile.class)
class DeepSeekAdapterConformanceTest extends ProviderConformanceTest {

    @WireMockProviderResource.InjectWireMock
    WireMockServer wireMock;

    @Override
    protected String providerId() {
        return "dstest";
    }

    @Override
    protected String model() {
        return "deepseek-chat";
    }

    @Override
    protected BigDecimal promptPricePer1k() {
        return new BigDecimal("0.0014");
    }

    @Override
    protected BigDecimal completionPricePer1k() {
        return new BigDecimal("0.0028");
    }

    @Override
    protected String apiKey() {
        return WireMockProviderResource.DEEPSEEK_KEY;
    }

    @Override
    protected Map.Entry<String, String> expectedAuthHeader() {
        return Map.entry("Authorization", "Bearer " + WireMockProviderResource.DEEPSEEK_KEY);
    }

    @Override
    protected Set<String> allowedUpstreamHeaders() {
        return Set.of("host", "content-type", "content-length", "accept", "authorization", "x-request-id",
                "connection", "transfer-encoding");
    }

    @Override
    protected DeepSeekWireStubs stubs() {
        return new DeepSeekWireStubs(wireMock, "/deepseek/v1", model());
    }

    @Test
    void blankLinePaddingIsStrippedAndCacheTokensKept() throws Exception {
        String served = stubs().chatJson("Hi", 20, 3);
        Response r = post("req-" + UUID.randomUUID(), body(false), false);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(served, new String(r.asByteArray(), StandardCharsets.UTF_8), "padding stripped, rest unchanged");
        JsonNode usage = json(r.asString()).get("usage");
        assertEquals(8, usage.get("prompt_cache_hit_tokens").asInt());
        assertEquals(12, usage.get("prompt_cache_miss_tokens").asInt());
    }

    @Test
    void reasoningContentPassesThroughJson() throws Exception {
        stubs().chatJsonWithReasoning("The user wants a greeting.", "Hello!", 14, 30, 25);
        Response r = post("req-" + UUID.randomUUID(), body(false), false);
        assertEquals(200, r.statusCode(), r.asString());
        JsonNode answer = json(r.asString());
        assertEquals("The user wants a greeting.", answer.at("/choices/0/message/reasoning_content").asText());
        assertEquals("Hello!", answer.at("/choices/0/message/content").asText());
        assertEquals(25, answer.at("/usage/completion_tokens_details/reasoning_tokens").asInt());
        assertEquals(0, expectedCost(14, 30).compareTo(new BigDecimal(r.header(AigwHeaders.COST_USD))));
    }

    @Test
    void reasoningContentPassesThroughStreamWithCacheUsage() throws Exception {
        stubs().chatStreamWithReasoning(List.of("Think", "ing."), List.of("Hel", "lo"), 40, 9);
        Response r = post("req-" + UUID.randomUUID(), body(true), true);
        assertEquals(200, r.statusCode(), r.asString());
        List<SseParser.Event> events = events(r);
        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        JsonNode usageChunk = null;
        String finish = null;
        for (SseParser.Event e : events) {
            if (e.event() != null || e.data().equals("[DONE]")) {
                continue;
            }
            JsonNode c = json(e.data());
            JsonNode delta = c.at("/choices/0/delta");
            if (delta.path("reasoning_content").isTextual()) {
                reasoning.append(delta.get("reasoning_content").asText());
            }
            if (delta.path("content").isTextual()) {
                content.append(delta.get("content").asText());
            }
            if (c.at("/choices/0/finish_reason").isTextual()) {
                finish = c.at("/choices/0/finish_reason").asText();
            }
            if (c.get("usage") != null && c.get("usage").isObject()) {
                usageChunk = c.get("usage");
            }
        }
        assertEquals("Thinking.", reasoning.toString());
        assertEquals("Hello", content.toString());
        assertEquals("stop", finish);
        assertEquals(4, usageChunk.get("prompt_cache_hit_tokens").asInt());
        assertEquals(36, usageChunk.get("prompt_cache_miss_tokens").asInt());
        JsonNode u = json(events.get(events.size() - 2).data());
        assertEquals(40, u.get("promptTokens").asInt());
        assertEquals(9, u.get("completionTokens").asInt());
        assertFalse(u.get("usageEstimated").asBoolean());
    }

    /** Source: api-docs.deepseek.com "Error Codes" (402 Insufficient Balance, 422 Invalid Parameters, 503 Server Overloaded). */
    @Test
    void insufficientBalance402() throws Exception {
        stubs().error(402, "unknown_error", "invalid_request_error", "Insufficient Balance", Map.of());
        JsonNode e = expectError(502, "INSUFFICIENT_CREDIT");
        assertEquals(402, e.get("providerStatus").asInt());
    }

    @Test
    void invalidParameters422IsBadRequest() throws Exception {
        stubs().error(422, "invalid_request_error", "invalid_request_error",
                "Invalid max_tokens value, the valid range of max_tokens is [1, 8192]", Map.of());
        JsonNode e = expectError(502, "BAD_REQUEST");
        assertEquals(422, e.get("providerStatus").asInt());
    }

    @Test
    void serverOverloaded503() throws Exception {
        stubs().error(503, "service_unavailable_error", "service_unavailable_error",
                "Service is too busy. Please try again later.", Map.of());
        expectError(502, "OVERLOADED");
    }

    @Test
    void defaultDeepSeekProviderIsThisKindWithPlanPrices() {
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).when().get("/internal/v1/providers").then().statusCode(200)
                .body("find { it.id == 'deepseek' }.kind", org.hamcrest.Matchers.equalTo("deepseek"))
                .body("find { it.id == 'deepseek' }.models[0].promptPricePer1k", org.hamcrest.Matchers.equalTo(0.0014f))
                .body("find { it.id == 'deepseek' }.models[0].completionPricePer1k", org.hamcrest.Matchers.equalTo(0.0028f));
    }
}
