package io.aigateway.adapter.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.aigateway.adapter.conformance.AdapterTestProfile;
import io.aigateway.adapter.conformance.Capability;
import io.aigateway.adapter.conformance.GeminiWireStubs;
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

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kind {@code gemini} (test provider {@code gemtest}) against WireMock speaking the Generative Language API v1beta. */
@QuarkusTest
@TestProfile(AdapterTestProfile.class)
class GeminiAdapterConformanceTest extends ProviderConformanceTest {

    private static final String BASE = "/gemini/v1beta";

    @WireMockProviderResource.InjectWireMock
    WireMockServer wireMock;

    @Override
    protected String providerId() {
        return "gemtest";
    }

    @Override
    protected String model() {
        return "gemini-2.0-flash";
    }

    @Override
    protected BigDecimal promptPricePer1k() {
        return new BigDecimal("0.0001");
    }

    @Override
    protected BigDecimal completionPricePer1k() {
        return new BigDecimal("0.0004");
    }

    @Override
    protected String apiKey() {
        return WireMockProviderResource.GEMINI_KEY;
    }

    @Override
    protected Map.Entry<String, String> expectedAuthHeader() {
        return Map.entry("x-goog-api-key", WireMockProviderResource.GEMINI_KEY);
    }

    @Override
    protected Set<String> allowedUpstreamHeaders() {
        return Set.of("host", "content-type", "content-length", "accept", "x-goog-api-key", "x-request-id",
                "connection", "transfer-encoding");
    }

    /** Gemini has no 402: a project without billing where the free tier is unavailable is 400 FAILED_PRECONDITION (tested below). */
    @Override
    protected Set<Capability> notApplicable() {
        return Set.of(Capability.CREDIT_402);
    }

    /** The model is in the path ({@code /models/{model}:generateContent}), never in the body. */
    @Override
    protected boolean modelInBody() {
        return false;
    }

    @Override
    protected boolean relaysBodyUnchanged() {
        return false;
    }

    @Override
    protected boolean passesUnknownFields() {
        return false;
    }

    /** Streams go to {@code :streamGenerateContent?alt=sse}; the body is the same {@code GenerateContentRequest}. */
    @Override
    protected void assertStreamRequest(JsonNode sent) {
        assertFalse(sent.has("stream"));
        assertTrue(sent.has("contents"));
        var req = stubs().chatRequests().get(0);
        assertEquals(BASE + "/models/" + model() + ":streamGenerateContent?alt=sse", req.getUrl());
    }

    @Override
    protected GeminiWireStubs stubs() {
        return new GeminiWireStubs(wireMock, BASE, model());
    }

    private JsonNode expectStatus(Response r, int status, String errorClass) throws Exception {
        assertEquals(status, r.statusCode(), r.asString());
        JsonNode e = json(r.asString());
        assertEquals(errorClass, e.get("errorClass").asText(), r.asString());
        assertFalse(r.asString().contains(apiKey()), "key leaked in error");
        return e;
    }

    // ---- request translation -------------------------------------------------------------------

    @Test
    void requestIsTranslatedToGenerateContent() throws Exception {
        stubs().chatJson("ok", 5, 1);
        String req = "{\"model\":\"" + model() + "\",\"temperature\":0.3,\"top_p\":0.9,\"max_tokens\":64,\"stop\":\"END\","
                + "\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
                + "{\"role\":\"developer\",\"content\":[{\"type\":\"text\",\"text\":\"Answer in English.\"}]},"
                + "{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello!\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]}";
        assertEquals(200, post("req-" + UUID.randomUUID(), req, false).statusCode());
        var logged = stubs().chatRequests().get(0);
        assertEquals(BASE + "/models/" + model() + ":generateContent", logged.getUrl());
        assertEquals(apiKey(), logged.getHeader("x-goog-api-key"));
        assertFalse(logged.getUrl().contains("key="), "the key travels in the header, never in the URL");
        JsonNode sent = json(logged.getBodyAsString());
        assertEquals("You are terse.\n\nAnswer in English.", sent.at("/systemInstruction/parts/0/text").asText());
        assertEquals(3, sent.get("contents").size());
        assertEquals("user", sent.at("/contents/0/role").asText());
        assertEquals("Hi", sent.at("/contents/0/parts/0/text").asText());
        assertEquals("model", sent.at("/contents/1/role").asText());
        assertEquals("Hello!", sent.at("/contents/1/parts/0/text").asText());
        assertEquals("image/png", sent.at("/contents/2/parts/1/inlineData/mimeType").asText());
        assertEquals("iVBORw0KGgo=", sent.at("/contents/2/parts/1/inlineData/data").asText());
        assertEquals(0.3, sent.at("/generationConfig/temperature").asDouble());
        assertEquals(0.9, sent.at("/generationConfig/topP").asDouble());
        assertEquals(64, sent.at("/generationConfig/maxOutputTokens").asInt());
        assertEquals("END", sent.at("/generationConfig/stopSequences/0").asText());
        assertFalse(sent.has("model"));
        assertFalse(sent.has("messages"));
    }

    @Test
    void toolHistoryIsTranslated() throws Exception {
        stubs().chatJson("It is sunny.", 50, 5);
        String req = "{\"model\":\"" + model() + "\",\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"location\\\":\\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny, 21C\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}],"
                + "\"tool_choice\":\"required\"}";
        Response r = post("req-" + UUID.randomUUID(), req, false);
        assertEquals(200, r.statusCode(), r.asString());
        JsonNode sent = json(stubs().chatRequests().get(0).getBodyAsString());
        assertEquals("model", sent.at("/contents/1/role").asText());
        assertEquals("get_weather", sent.at("/contents/1/parts/0/functionCall/name").asText());
        assertEquals("Paris", sent.at("/contents/1/parts/0/functionCall/args/location").asText());
        assertEquals("user", sent.at("/contents/2/role").asText());
        assertEquals("get_weather", sent.at("/contents/2/parts/0/functionResponse/name").asText());
        assertEquals("sunny, 21C", sent.at("/contents/2/parts/0/functionResponse/response/content").asText());
        assertEquals("get_weather", sent.at("/tools/0/functionDeclarations/0/name").asText());
        assertEquals("object", sent.at("/tools/0/functionDeclarations/0/parametersJsonSchema/type").asText());
        assertEquals("ANY", sent.at("/toolConfig/functionCallingConfig/mode").asText());
    }

    @Test
    void nGreaterThanOneIsAClear400() throws Exception {
        String req = "{\"model\":\"" + model() + "\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        Response r = post("req-" + UUID.randomUUID(), req, false);
        assertEquals(400, r.statusCode(), r.asString());
        assertTrue(json(r.asString()).get("message").asText().contains("n > 1"));
        assertEquals(0, stubs().chatRequests().size());
    }

    // ---- answers -------------------------------------------------------------------------------

    @Test
    void maxTokensIsLengthAndThoughtsAreCompletionTokens() throws Exception {
        stubs().chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"thinking…\",\"thought\":true},{\"text\":\"Once upon\"}],"
                        + "\"role\":\"model\"},\"finishReason\":\"MAX_TOKENS\",\"index\":0}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":4,\"thoughtsTokenCount\":20,"
                        + "\"totalTokenCount\":34},\"modelVersion\":\"gemini-2.5-flash\"}"));
        Response r = post("req-" + UUID.randomUUID(), body(false), false);
        assertEquals(200, r.statusCode(), r.asString());
        JsonNode a = json(r.asString());
        assertEquals("Once upon", a.at("/choices/0/message/content").asText());
        assertEquals("length", a.at("/choices/0/finish_reason").asText());
        assertEquals(10, a.at("/usage/prompt_tokens").asInt());
        assertEquals(24, a.at("/usage/completion_tokens").asInt());
        assertEquals(34, a.at("/usage/total_tokens").asInt());
        assertEquals(20, a.at("/usage/completion_tokens_details/reasoning_tokens").asInt());
        assertEquals(0, expectedCost(10, 24).compareTo(new BigDecimal(r.header(AigwHeaders.COST_USD))));
    }

    @Test
    void blockedPromptIsContentFiltered() throws Exception {
        stubs().chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
                "{\"promptFeedback\":{\"blockReason\":\"SAFETY\",\"safetyRatings\":[{\"category\":\"HARM_CATEGORY_DANGEROUS_CONTENT\","
                        + "\"probability\":\"HIGH\"}]},\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8},"
                        + "\"modelVersion\":\"gemini-2.0-flash\"}"));
        JsonNode e = expectStatus(post("req-" + UUID.randomUUID(), body(false), false), 502, "CONTENT_FILTERED");
        assertTrue(e.get("message").asText().contains("SAFETY"), e.toString());
        assertEquals(200, e.get("providerStatus").asInt());
    }

    @Test
    void safetyStopWithoutTextIsContentFiltered() throws Exception {
        stubs().chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
                "{\"candidates\":[{\"finishReason\":\"SAFETY\",\"index\":0,\"safetyRatings\":[{\"category\":"
                        + "\"HARM_CATEGORY_HARASSMENT\",\"probability\":\"HIGH\",\"blocked\":true}]}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8}}"));
        expectStatus(post("req-" + UUID.randomUUID(), body(false), false), 502, "CONTENT_FILTERED");
    }

    @Test
    void safetyStopAfterTextIsFinishReasonContentFilter() throws Exception {
        stubs().chat(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(stubs().chatJson("Partial", 3, 1).replace("\"STOP\"", "\"SAFETY\"")));
        Response r = post("req-" + UUID.randomUUID(), body(false), false);
        assertEquals(200, r.statusCode(), r.asString());
        JsonNode a = json(r.asString());
        assertEquals("Partial", a.at("/choices/0/message/content").asText());
        assertEquals("content_filter", a.at("/choices/0/finish_reason").asText());
    }

    @Test
    void blockedPromptInAStreamIsContentFilteredBeforeData() throws Exception {
        stubs().chat(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(
                "data: {\"promptFeedback\":{\"blockReason\":\"PROHIBITED_CONTENT\"},\"usageMetadata\":{\"promptTokenCount\":8,"
                        + "\"totalTokenCount\":8},\"modelVersion\":\"gemini-2.0-flash\"}\r\n\r\n"));
        Response r = post("req-" + UUID.randomUUID(), body(true), true);
        JsonNode e = expectStatus(r, 502, "CONTENT_FILTERED");
        assertTrue(e.get("message").asText().contains("PROHIBITED_CONTENT"), e.toString());
    }

    @Test
    void streamedFunctionCallBecomesToolCallDelta() throws Exception {
        stubs().chat(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":"
                        + "{\"location\":\"Paris\"}}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":30,\"candidatesTokenCount\":6,\"totalTokenCount\":36},"
                        + "\"modelVersion\":\"gemini-2.0-flash\"}\r\n\r\n"));
        Response r = post("req-" + UUID.randomUUID(), body(true), true);
        assertEquals(200, r.statusCode(), r.asString());
        String name = null;
        String args = null;
        String finish = null;
        for (var ev : events(r)) {
            if (ev.event() != null || ev.data().equals("[DONE]")) {
                continue;
            }
            JsonNode c = json(ev.data());
            JsonNode tc = c.at("/choices/0/delta/tool_calls/0");
            if (!tc.isMissingNode()) {
                assertEquals(0, tc.get("index").asInt());
                assertFalse(tc.get("id").asText().isEmpty());
                name = tc.at("/function/name").asText();
                args = tc.at("/function/arguments").asText();
            }
            if (c.at("/choices/0/finish_reason").isTextual()) {
                finish = c.at("/choices/0/finish_reason").asText();
            }
        }
        assertEquals("get_weather", name);
        assertEquals("Paris", json(args).get("location").asText());
        assertEquals("tool_calls", finish);
        var all = events(r);
        JsonNode usage = json(all.get(all.size() - 2).data());
        assertEquals(30, usage.get("promptTokens").asInt());
        assertEquals(6, usage.get("completionTokens").asInt());
    }

    // ---- errors --------------------------------------------------------------------------------

    /** ai.google.dev "Rate limits" / "Troubleshooting": 429 RESOURCE_EXHAUSTED with a RetryInfo detail, no header. */
    @Test
    void resourceExhaustedHonoursRetryInfo() throws Exception {
        stubs().chat(aResponse().withStatus(429).withHeader("Content-Type", "application/json; charset=UTF-8").withBody(
                "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota, please check your plan and billing details.\","
                        + "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\","
                        + "\"violations\":[{\"quotaMetric\":\"generativelanguage.googleapis.com/generate_content_free_tier_requests\","
                        + "\"quotaId\":\"GenerateRequestsPerMinutePerProjectPerModel-FreeTier\"}]},"
                        + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"39s\"}]}}"));
        JsonNode e = expectError(502, "RATE_LIMITED");
        assertEquals(39000, e.get("retryAfterMs").asLong());
        assertEquals(429, e.get("providerStatus").asInt());
    }

    /** An invalid key is 400 INVALID_ARGUMENT with reason API_KEY_INVALID: AUTH, not BAD_REQUEST. */
    @Test
    void invalidKeyIs400ButAuth() throws Exception {
        stubs().chat(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(
                "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\","
                        + "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\","
                        + "\"domain\":\"googleapis.com\",\"metadata\":{\"service\":\"generativelanguage.googleapis.com\"}}]}}"));
        expectError(502, "AUTH");
    }

    @Test
    void invalidArgumentIsBadRequest() throws Exception {
        stubs().error(400, null, null, "Invalid JSON payload received. Unknown name \"foo\": Cannot find field.", Map.of());
        JsonNode e = expectError(502, "BAD_REQUEST");
        assertTrue(e.get("message").asText().contains("Unknown name"));
    }

    @Test
    void failedPreconditionIsInsufficientCredit() throws Exception {
        stubs().chat(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(
                "{\"error\":{\"code\":400,\"message\":\"Gemini API free tier is not available in your country. Please enable billing "
                        + "on your project in Google AI Studio.\",\"status\":\"FAILED_PRECONDITION\"}}"));
        expectError(502, "INSUFFICIENT_CREDIT");
    }

    @Test
    void permissionDeniedIsAuth() throws Exception {
        stubs().error(403, null, null, "Method doesn't allow unregistered callers.", Map.of());
        expectError(502, "AUTH");
    }

    @Test
    void unavailableWithoutRetryAfterIsOverloaded() throws Exception {
        stubs().error(503, null, null, "The model is overloaded. Please try again later.", Map.of());
        JsonNode e = expectError(502, "OVERLOADED");
        assertNull(e.get("retryAfterMs"));
    }

    @Test
    void deadlineExceededIsTimeout() throws Exception {
        stubs().error(504, null, null, "Deadline expired before operation could complete.", Map.of());
        expectError(504, "TIMEOUT");
    }

    @Test
    void unavailableMidStreamIsOverloaded() throws Exception {
        stubs().chat(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(
                "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}]}\r\n\r\n"
                        + "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n"));
        Response r = post("req-" + UUID.randomUUID(), body(true), true);
        assertEquals(200, r.statusCode());
        var events = events(r);
        var last = events.get(events.size() - 1);
        assertEquals(AigwHeaders.EVENT_ERROR, last.event(), r.asString());
        assertEquals("OVERLOADED", json(last.data()).get("errorClass").asText());
    }
}
