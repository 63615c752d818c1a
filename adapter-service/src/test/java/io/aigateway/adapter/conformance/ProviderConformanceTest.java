package io.aigateway.adapter.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.aigateway.adapter.catalog.ProviderCatalog;
import io.aigateway.adapter.health.ProviderHealthMonitor;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.SseParser;
import io.aigateway.contracts.openai.Chunks;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The provider conformance suite (TensorZero style): every adapter kind runs these capabilities against
 * an upstream stub speaking its own wire format, and must produce the same OpenAI-format answers,
 * costs, usage events and error classes at {@code POST /internal/v1/providers/{id}/chat}.
 */
public abstract class ProviderConformanceTest {

    protected static final String TOKEN = "test-internal-token";

    @Inject
    protected ObjectMapper mapper;
    @Inject
    protected TokenEstimator tokens;
    @Inject
    protected ProviderHealthMonitor health;
    @Inject
    protected ProviderCatalog catalog;

    /** The provider under test. */
    protected abstract String providerId();

    protected abstract String model();

    /** The configured prices of {@link #model()}, as written in the test configuration. */
    protected abstract BigDecimal promptPricePer1k();

    protected abstract BigDecimal completionPricePer1k();

    /** The key configured for the provider (must reach it, must never leak). */
    protected abstract String apiKey();

    /** The header carrying the key upstream and its expected value; null when the provider has no key. */
    protected abstract Map.Entry<String, String> expectedAuthHeader();

    /** Capabilities this kind does not have (declared once; their tests are skipped as not applicable). */
    protected Set<Capability> notApplicable() {
        return Set.of();
    }

    protected void requires(Capability capability) {
        org.junit.jupiter.api.Assumptions.assumeFalse(notApplicable().contains(capability),
                capability + " is not applicable to provider " + providerId());
    }

    /** What a stream request must look like upstream; OpenAI format: usage requested via stream_options. */
    protected void assertStreamRequest(JsonNode sent) {
        assertTrue(sent.path("stream_options").path("include_usage").asBoolean(), "usage requested upstream");
    }

    /** Whether the upstream request names the model in its body (TGI serves one model: no). */
    protected boolean modelInBody() {
        return true;
    }

    /** Whether the provider accepts (and so gets) unknown request fields. */
    protected boolean passesUnknownFields() {
        return true;
    }

    /** Whether the kind relays the provider's JSON body byte for byte (OpenAI format); else it translates. */
    protected boolean relaysBodyUnchanged() {
        return true;
    }

    /** Headers the adapter may send upstream (lower case); anything else is a leak. */
    protected abstract Set<String> allowedUpstreamHeaders();

    protected abstract ProviderStubs stubs();

    private static boolean warm;

    @BeforeEach
    void resetStubs() {
        if (!warm) {
            // a cold JVM (WireMock, class loading) can exceed the shortened test timeouts on the first call
            stubs().chatJson("warm-up", 1, 1);
            for (int i = 0; i < 3; i++) {
                post("warm-up", body(false), false);
            }
            warm = true;
        }
        stubs().reset();
    }

    protected String body(boolean stream) {
        return "{\"model\":\"" + model() + "\",\"stream\":" + stream
                + ",\"temperature\":0.2,\"x_vendor_extra\":{\"keep\":true},"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
                + "{\"role\":\"user\",\"content\":\"Say hello to the gateway\"}]}";
    }

    protected Response post(String requestId, String body, boolean stream) {
        return given()
                .header(AigwHeaders.INTERNAL_TOKEN, TOKEN)
                .header(AigwHeaders.REQUEST_ID, requestId)
                .header(AigwHeaders.CALLER_USER, "user-1")
                .header(AigwHeaders.CALLER_KEY, "key-1")
                .header("X-Client-Secret-Header", "should-not-pass")
                .header("Cookie", "session=abc")
                .contentType("application/json")
                .accept(stream ? "text/event-stream" : "application/json")
                .body(body)
                .when().post("/internal/v1/providers/" + providerId() + "/chat");
    }

    protected BigDecimal expectedCost(int prompt, int completion) {
        return promptPricePer1k().multiply(BigDecimal.valueOf(prompt))
                .add(completionPricePer1k().multiply(BigDecimal.valueOf(completion)))
                .divide(BigDecimal.valueOf(1000), 10, RoundingMode.HALF_UP);
    }

    protected List<SseParser.Event> events(Response r) {
        SseParser parser = new SseParser();
        List<SseParser.Event> events = new ArrayList<>(parser.feed(r.asByteArray()));
        events.addAll(parser.finish());
        return events;
    }

    protected JsonNode json(String s) throws Exception {
        return mapper.readTree(s);
    }

    // ---- chat JSON ------------------------------------------------------------------------------

    @Test
    void chatJsonRelaysBodyUnchangedWithExactCost() throws Exception {
        String served = stubs().chatJson("Hello, gateway!", 17, 23);
        String rid = "req-" + UUID.randomUUID();
        Response r = post(rid, body(false), false);
        assertEquals(200, r.statusCode(), r.asString());
        if (relaysBodyUnchanged()) {
            assertEquals(served, new String(r.asByteArray(), StandardCharsets.UTF_8), "body relayed byte for byte");
        }
        // after translation: exact content, finish reason and usage in OpenAI's format
        JsonNode answer = json(r.asString());
        assertEquals("chat.completion", answer.get("object").asText());
        assertEquals("assistant", answer.at("/choices/0/message/role").asText());
        assertEquals("Hello, gateway!", answer.at("/choices/0/message/content").asText());
        assertEquals("stop", answer.at("/choices/0/finish_reason").asText());
        assertEquals(17, answer.at("/usage/prompt_tokens").asInt());
        assertEquals(23, answer.at("/usage/completion_tokens").asInt());
        assertEquals(40, answer.at("/usage/total_tokens").asInt());
        BigDecimal expected = expectedCost(17, 23);
        assertEquals(expected.toPlainString(), r.header(AigwHeaders.COST_USD));
        assertEquals(0, expected.compareTo(new BigDecimal(r.header(AigwHeaders.COST_USD))));
        assertEquals("false", r.header(AigwHeaders.USAGE_ESTIMATED));
        // the counts the cost was computed from, so routing need not read the body
        assertEquals("17", r.header(AigwHeaders.PROMPT_TOKENS));
        assertEquals("23", r.header(AigwHeaders.COMPLETION_TOKENS));
        assertNotNull(r.header(AigwHeaders.UPSTREAM_MS));
        assertTrue(Long.parseLong(r.header(AigwHeaders.UPSTREAM_MS)) >= 0);
    }

    @Test
    void chatForwardsOnlyRequestIdAndCredentials() throws Exception {
        stubs().chatJson("ok", 5, 1);
        String rid = "req-" + UUID.randomUUID();
        assertEquals(200, post(rid, body(false), false).statusCode());
        List<LoggedRequest> received = stubs().chatRequests();
        assertEquals(1, received.size());
        LoggedRequest req = received.get(0);
        assertEquals(rid, req.getHeader(AigwHeaders.REQUEST_ID));
        Map.Entry<String, String> auth = expectedAuthHeader();
        if (auth != null) {
            assertEquals(auth.getValue(), req.getHeader(auth.getKey()));
        } else {
            assertNull(req.getHeader("Authorization"), "no key configured, none sent");
        }
        for (String name : req.getHeaders().keys()) {
            assertTrue(allowedUpstreamHeaders().contains(name.toLowerCase()), "header leaked upstream: " + name);
        }
        JsonNode sent = json(req.getBodyAsString());
        if (modelInBody()) {
            assertEquals(model(), sent.get("model").asText());
        }
        if (passesUnknownFields()) {
            assertTrue(sent.get("x_vendor_extra").get("keep").asBoolean(), "unknown fields pass through");
        } else {
            assertFalse(sent.has("x_vendor_extra"), "the provider rejects unknown fields: not forwarded");
        }
    }

    @Test
    void chatJsonWithoutUsageIsEstimated() throws Exception {
        stubs().chatJsonWithoutUsage("Hello there, dear gateway user");
        Response r = post("req-" + UUID.randomUUID(), body(false), false);
        assertEquals(200, r.statusCode());
        assertEquals("true", r.header(AigwHeaders.USAGE_ESTIMATED));
        BigDecimal cost = new BigDecimal(r.header(AigwHeaders.COST_USD));
        int completion = tokens.count("Hello there, dear gateway user");
        assertTrue(completion > 0);
        // the estimated counts are in the headers, and they are the ones the cost was computed from
        int prompt = tokens.promptTokens(json(body(false)).get("messages"));
        assertEquals(Integer.toString(prompt), r.header(AigwHeaders.PROMPT_TOKENS));
        assertEquals(Integer.toString(completion), r.header(AigwHeaders.COMPLETION_TOKENS));
        assertEquals(0, expectedCost(prompt, completion).compareTo(cost), "cost " + cost + " of the counts in the headers");
        if (promptPricePer1k().signum() == 0 && completionPricePer1k().signum() == 0) {
            assertEquals(0, cost.signum(), "a free provider costs nothing, estimated or not");
            return;
        }
        assertTrue(cost.signum() > 0, "estimated usage still costs: " + cost);
        // the estimate is consistent with the prices: at least the completion part
        assertTrue(cost.compareTo(expectedCost(0, completion)) > 0);
    }

    @Test
    void toolCallsPassThrough() throws Exception {
        requires(Capability.TOOL_CALLS);
        stubs().chatJsonToolCall("get_weather", "{\"location\":\"Paris\"}");
        String req = "{\"model\":\"" + model() + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Current weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},\"required\":[\"location\"]}}}]}";
        Response r = post("req-" + UUID.randomUUID(), req, false);
        assertEquals(200, r.statusCode(), r.asString());
        JsonNode answer = json(r.asString());
        JsonNode call = answer.at("/choices/0/message/tool_calls/0");
        assertEquals("function", call.get("type").asText());
        assertFalse(call.get("id").asText().isEmpty());
        assertEquals("get_weather", call.at("/function/name").asText());
        assertEquals(json("{\"location\":\"Paris\"}"), json(call.at("/function/arguments").asText()));
        assertEquals("tool_calls", answer.at("/choices/0/finish_reason").asText());
        JsonNode sent = json(stubs().chatRequests().get(0).getBodyAsString());
        assertTrue(sent.toString().contains("get_weather"), "tools sent upstream");
    }

    // ---- stream ---------------------------------------------------------------------------------

    @Test
    void streamRelaysChunksThenUsageThenDone() throws Exception {
        stubs().chatStream(List.of("Hel", "lo", " world"), 12, 3, true);
        String rid = "req-" + UUID.randomUUID();
        Response r = post(rid, body(true), true);
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.contentType().startsWith("text/event-stream"));
        List<SseParser.Event> events = events(r);
        // role, 3 contents, finish, usage chunk, aigw-usage, [DONE]
        assertEquals(8, events.size(), r.asString());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            assertNull(events.get(i).event());
            JsonNode chunk = json(events.get(i).data());
            assertEquals("chat.completion.chunk", chunk.get("object").asText());
            JsonNode content = chunk.path("choices").path(0).path("delta").path("content");
            if (content.isTextual()) {
                text.append(content.asText());
            }
        }
        assertEquals("Hello world", text.toString());
        assertEquals("assistant", json(events.get(0).data()).at("/choices/0/delta/role").asText());
        assertEquals("stop", json(events.get(4).data()).at("/choices/0/finish_reason").asText());
        assertTrue(Chunks.isUsageChunk(json(events.get(5).data())), "usage chunk relayed");
        SseParser.Event usage = events.get(6);
        assertEquals(AigwHeaders.EVENT_USAGE, usage.event());
        JsonNode u = json(usage.data());
        assertEquals(12, u.get("promptTokens").asInt());
        assertEquals(3, u.get("completionTokens").asInt());
        assertFalse(u.get("usageEstimated").asBoolean());
        assertEquals(0, expectedCost(12, 3).compareTo(u.get("costUsd").decimalValue()));
        assertTrue(u.get("ttftMs").asLong() >= 0);
        assertEquals(Chunks.DONE, events.get(7).data());

        JsonNode sent = json(stubs().chatRequests().get(0).getBodyAsString());
        assertStreamRequest(sent);
        assertEquals(rid, stubs().chatRequests().get(0).getHeader(AigwHeaders.REQUEST_ID));
    }

    @Test
    void streamWithoutUsageIsEstimated() throws Exception {
        stubs().chatStreamWithoutUsage(List.of("One", " two", " three"));
        Response r = post("req-" + UUID.randomUUID(), body(true), true);
        assertEquals(200, r.statusCode());
        List<SseParser.Event> events = events(r);
        SseParser.Event usage = events.get(events.size() - 2);
        assertEquals(AigwHeaders.EVENT_USAGE, usage.event());
        JsonNode u = json(usage.data());
        assertTrue(u.get("usageEstimated").asBoolean());
        assertEquals(tokens.count("One two three"), u.get("completionTokens").asInt());
        assertTrue(u.get("promptTokens").asInt() > 0);
        assertEquals(0, expectedCost(u.get("promptTokens").asInt(), u.get("completionTokens").asInt())
                .compareTo(u.get("costUsd").decimalValue()));
        assertEquals(Chunks.DONE, events.get(events.size() - 1).data());
    }

    @Test
    void streamErrorChunkBecomesAigwError() throws Exception {
        stubs().chatStreamErrorAfterFirstChunk();
        Response r = post("req-" + UUID.randomUUID(), body(true), true);
        assertEquals(200, r.statusCode());
        List<SseParser.Event> events = events(r);
        SseParser.Event last = events.get(events.size() - 1);
        assertEquals(AigwHeaders.EVENT_ERROR, last.event(), r.asString());
        JsonNode e = json(last.data());
        assertEquals("UPSTREAM_5XX", e.get("errorClass").asText());
        assertEquals(providerId(), e.get("provider").asText());
        assertFalse(r.asString().contains(Chunks.DONE));
    }

    @Test
    void streamMalformedChunkBecomesAigwError() throws Exception {
        requires(Capability.MALFORMED_BODY);
        stubs().chatStreamMalformedChunk();
        Response r = post("req-" + UUID.randomUUID(), body(true), true);
        assertEquals(200, r.statusCode());
        List<SseParser.Event> events = events(r);
        SseParser.Event last = events.get(events.size() - 1);
        assertEquals(AigwHeaders.EVENT_ERROR, last.event(), r.asString());
        assertEquals("MALFORMED_RESPONSE", json(last.data()).get("errorClass").asText());
    }

    @Test
    void keepAlivesDoNotExtendTheFirstChunkDeadline() throws Exception {
        requires(Capability.TIMEOUT_FIRST_BYTE);
        stubs().chatStreamOnlyKeepAlives(2500);
        long t0 = System.nanoTime();
        Response r = post("req-" + UUID.randomUUID(), body(true), true);
        assertEquals(504, r.statusCode(), r.asString());
        assertEquals("TIMEOUT", json(r.asString()).get("errorClass").asText());
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 2400, "failed at the first-byte deadline");
    }

    @Test
    void stallAfterFirstChunkIsABetweenChunksTimeout() throws Exception {
        requires(Capability.STALL_BETWEEN_CHUNKS);
        stubs().chatStreamStallsAfterFirstChunk(3000);
        Response r = post("req-" + UUID.randomUUID(), body(true), true);
        assertEquals(200, r.statusCode());
        List<SseParser.Event> events = events(r);
        SseParser.Event last = events.get(events.size() - 1);
        assertEquals(AigwHeaders.EVENT_ERROR, last.event(), r.asString());
        assertEquals("TIMEOUT", json(last.data()).get("errorClass").asText());
    }

    @Test
    void streamUpstreamErrorBeforeDataIsNon2xx() throws Exception {
        requires(Capability.RATE_LIMIT_429);
        stubs().error(429, "rate_limit_error", "rate_limit_exceeded", "Rate limit reached", Map.of("retry-after", "7"));
        Response r = post("req-" + UUID.randomUUID(), body(true), true);
        assertEquals(502, r.statusCode());
        assertTrue(r.contentType().startsWith("application/json"));
        JsonNode e = json(r.asString());
        assertEquals("RATE_LIMITED", e.get("errorClass").asText());
        assertEquals(7000, e.get("retryAfterMs").asLong());
    }

    // ---- errors ---------------------------------------------------------------------------------

    protected JsonNode expectError(int expectedStatus, String expectedClass) throws Exception {
        Response r = post("req-" + UUID.randomUUID(), body(false), false);
        assertEquals(expectedStatus, r.statusCode(), r.asString());
        JsonNode e = json(r.asString());
        assertEquals(expectedClass, e.get("errorClass").asText(), r.asString());
        assertEquals(providerId(), e.get("provider").asText());
        assertEquals(model(), e.get("model").asText());
        assertFalse(r.asString().contains(apiKey()), "key leaked in error");
        return e;
    }

    @Test
    void contextTooLong() throws Exception {
        requires(Capability.CONTEXT_TOO_LONG);
        stubs().error(400, "invalid_request_error", "context_length_exceeded",
                "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.", Map.of());
        JsonNode e = expectError(502, "CONTEXT_TOO_LONG");
        int status = e.get("providerStatus").asInt();
        assertTrue(status == 400 || status == 413 || status == 422, "a client-error status: " + status);
    }

    @Test
    void authFailureNeverLeaksTheKey() throws Exception {
        requires(Capability.AUTH_401);
        stubs().error(401, "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided: " + apiKey() + ". You can find your API key at https://platform.openai.com.", Map.of());
        JsonNode e = expectError(502, "AUTH");
        assertEquals(401, e.get("providerStatus").asInt());
        assertTrue(e.get("message").asText().contains("[redacted]"));
    }

    @Test
    void modelNotFoundAtProvider() throws Exception {
        requires(Capability.MODEL_NOT_FOUND_404);
        stubs().error(404, "invalid_request_error", "model_not_found", "The model does not exist", Map.of());
        expectError(404, "MODEL_NOT_FOUND");
    }

    @Test
    void rateLimitedWithRetryAfterMs() throws Exception {
        requires(Capability.RATE_LIMIT_429);
        stubs().error(429, "requests", "rate_limit_exceeded", "Rate limit reached",
                Map.of("retry-after-ms", "1500", "retry-after", "2"));
        JsonNode e = expectError(502, "RATE_LIMITED");
        assertEquals(1500, e.get("retryAfterMs").asLong());
        assertEquals(429, e.get("providerStatus").asInt());
    }

    @Test
    void insufficientQuotaIs429ButCredit() throws Exception {
        requires(Capability.CREDIT_402);
        stubs().error(429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota", Map.of());
        expectError(502, "INSUFFICIENT_CREDIT");
    }

    @Test
    void serverErrorIsUpstream5xx() throws Exception {
        requires(Capability.SERVER_ERROR_500);
        stubs().error(500, "server_error", null, "The server had an error", Map.of());
        expectError(502, "UPSTREAM_5XX");
    }

    @Test
    void serviceUnavailableIsOverloaded() throws Exception {
        requires(Capability.OVERLOADED_503);
        stubs().error(503, "server_error", null, "The engine is currently overloaded", Map.of("retry-after", "3"));
        JsonNode e = expectError(502, "OVERLOADED");
        assertEquals(3000, e.get("retryAfterMs").asLong());
    }

    @Test
    void slowProviderIsTimeout504() throws Exception {
        requires(Capability.TIMEOUT_FIRST_BYTE);
        stubs().delayed(2000);
        JsonNode e = expectError(504, "TIMEOUT");
        assertTrue(e.get("providerStatus") == null || e.get("providerStatus").isNull());
    }

    @Test
    void connectionResetIsConnection() throws Exception {
        requires(Capability.CONNECTION_RESET);
        stubs().connectionReset();
        expectError(502, "CONNECTION");
    }

    @Test
    void unparseable2xxIsMalformed() throws Exception {
        requires(Capability.MALFORMED_BODY);
        stubs().malformedJson();
        JsonNode e = expectError(502, "MALFORMED_RESPONSE");
        assertEquals(200, e.get("providerStatus").asInt());
    }

    // ---- health ---------------------------------------------------------------------------------

    @Test
    void healthChecksAreNeverOnTheRequestPath() {
        stubs().health(200);
        stubs().chatJson("Hello, gateway!", 17, 23);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post("req-" + UUID.randomUUID(), body(false), false).statusCode());
        }
        stubs().chatStream(List.of("Hel", "lo"), 5, 2, false);
        for (int i = 0; i < 2; i++) {
            assertEquals(200, post("req-" + UUID.randomUUID(), body(true), true).statusCode());
        }
        assertEquals(5, stubs().chatRequests().size());
        assertEquals(0, stubs().healthRequests().size(), "a chat call probed the provider's health");
    }

    @Test
    void healthProbeMarksProviderUpAndDown() {
        requires(Capability.HEALTH);
        stubs().health(200);
        health.check(catalog.adapter(providerId())).await().atMost(Duration.ofSeconds(5));
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN)
                .when().get("/internal/v1/providers/" + providerId() + "/health")
                .then().statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo(providerId()))
                .body("healthy", org.hamcrest.Matchers.equalTo(true))
                .body("checkedAt", org.hamcrest.Matchers.notNullValue())
                .body("latencyMs", org.hamcrest.Matchers.notNullValue());
        Map.Entry<String, String> auth = expectedAuthHeader();
        if (auth != null) {
            assertEquals(auth.getValue(), stubs().healthRequests().get(0).getHeader(auth.getKey()));
        }

        stubs().health(500);
        health.check(catalog.adapter(providerId())).await().atMost(Duration.ofSeconds(5));
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN)
                .when().get("/internal/v1/providers/" + providerId() + "/health")
                .then().statusCode(200).body("healthy", org.hamcrest.Matchers.equalTo(false));
        List<Map<String, Object>> list = given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN)
                .when().get("/internal/v1/providers").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> mine = list.stream().filter(p -> providerId().equals(p.get("id"))).findFirst().orElseThrow();
        assertEquals(false, mine.get("healthy"));

        stubs().health(200);
        health.check(catalog.adapter(providerId())).await().atMost(Duration.ofSeconds(5));
        assertTrue(health.healthy(providerId()));
    }
}
