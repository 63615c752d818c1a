package io.aigateway.routing;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.aigateway.contracts.usage.UsageEvent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(AdapterMock.class)
class ChatRouteTest {

    static final String TOKEN = "test-internal-token";
    static final String CHAT = "/internal/v1/route/chat";
    static final String BODY = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.2,\"x_unknown\":{\"a\":1}%s}";

    static UsageTopicReader usage;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void consumer() {
        usage = new UsageTopicReader();
    }

    @AfterAll
    static void closeConsumer() {
        if (usage != null) {
            usage.close();
        }
    }

    @jakarta.inject.Inject
    io.aigateway.routing.breaker.ProviderBreakers breakers;

    @BeforeEach
    void reset() {
        breakers.resetAll();
        AdapterMock.server.resetAll();
        AdapterMock.stubCatalog();
        CatalogAwait.untilLoaded();
    }

    static String body(String model, boolean stream) {
        return String.format(BODY, model, stream ? ",\"stream\":true" : "");
    }

    static RequestSpecification call(String requestId) {
        return given().header("X-Aigw-Internal-Token", TOKEN)
                .header("X-Request-Id", requestId)
                .header("X-Aigw-Caller-User", "user-1")
                .header("X-Aigw-Caller-Key", "key-1")
                .header("X-Aigw-Caller-Roles", "user")
                .contentType("application/json");
    }

    static String rid() {
        return "req-" + UUID.randomUUID();
    }

    static String completion(String model, int prompt, int completion) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model + "\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello there\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion) + "}}";
    }

    static ResponseDefinitionBuilder ok(String body, String cost) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withHeader("x-aigw-cost-usd", cost).withHeader("x-aigw-usage-estimated", "false")
                .withHeader("x-aigw-upstream-ms", "42").withBody(body);
    }

    static ResponseDefinitionBuilder providerError(int status, String errorClass, Integer providerStatus, String provider) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"errorClass\":\"" + errorClass + "\"" + (providerStatus == null ? "" : ",\"providerStatus\":" + providerStatus)
                        + ",\"message\":\"" + errorClass + " from upstream\",\"provider\":\"" + provider + "\",\"model\":\"fake-chat\"}");
    }

    static void stub(String provider, ResponseDefinitionBuilder response) {
        AdapterMock.server.stubFor(post(urlEqualTo("/internal/v1/providers/" + provider + "/chat")).willReturn(response));
    }

    static int calls(String provider) {
        return AdapterMock.server.countRequestsMatching(
                postRequestedFor(urlEqualTo("/internal/v1/providers/" + provider + "/chat")).build()).getCount();
    }

    // ------------------------------------------------------------------ JSON

    @Test
    void jsonSuccessRelaysBodyAndHeadersAndEmitsUsage() throws Exception {
        String rid = rid();
        String answer = completion("fake-chat", 11, 7);
        stub("fake", ok(answer, "0.0000305"));
        Response r = call(rid).header("X-Aigw-Context", "writing").body(body("chat-default", false)).post(CHAT);
        r.then().statusCode(200)
                .header("x-request-id", rid)
                .header("x-aigw-provider", "fake")
                .header("x-aigw-model", "fake-chat")
                .header("x-aigw-policy", "user-preference")
                .header("x-aigw-attempts", "1")
                .header("x-aigw-route-reason", "group:chat-default,policy:user-preference")
                .header("x-aigw-upstream-ms", "42")
                // edge-only headers (the edge strips them from /v1 answers)
                .header("x-aigw-cost-usd", "0.0000305")
                .header("x-aigw-attempt-log", org.hamcrest.Matchers.matchesPattern(
                        "\\[\\{\"provider\":\"fake\",\"model\":\"fake-chat\",\"outcome\":\"success\","
                                + "\"errorClass\":null,\"latencyMs\":\\d+}]"));
        assertEquals(answer, r.asString());
        AdapterMock.server.verify(postRequestedFor(urlEqualTo("/internal/v1/providers/fake/chat"))
                .withHeader("X-Aigw-Internal-Token", com.github.tomakehurst.wiremock.client.WireMock.equalTo(TOKEN))
                .withHeader("X-Request-Id", com.github.tomakehurst.wiremock.client.WireMock.equalTo(rid))
                .withHeader("X-Aigw-Caller-User", com.github.tomakehurst.wiremock.client.WireMock.equalTo("user-1"))
                .withHeader("X-Aigw-Caller-Key", com.github.tomakehurst.wiremock.client.WireMock.equalTo("key-1"))
                .withRequestBody(matchingJsonPath("$.model", com.github.tomakehurst.wiremock.client.WireMock.equalTo("fake-chat")))
                .withRequestBody(matchingJsonPath("$.x_unknown.a", com.github.tomakehurst.wiremock.client.WireMock.equalTo("1"))));
        assertEquals(0, calls("fakeb"));

        UsageTopicReader.Found f = usage.await(rid, Duration.ofSeconds(30));
        UsageEvent e = f.event();
        assertEquals("user-1", f.key());
        assertEquals("user-1", e.userId());
        assertEquals("key-1", e.keyId());
        assertEquals("writing", e.context());
        assertEquals("chat-default", e.requestedModel());
        assertEquals("fake", e.provider());
        assertEquals("fake-chat", e.model());
        assertEquals(11, e.promptTokens());
        assertEquals(7, e.completionTokens());
        assertEquals(18, e.totalTokens());
        assertEquals(0, new BigDecimal("0.0000305").compareTo(e.costUsd()));
        assertEquals(UsageEvent.Outcome.SUCCESS, e.outcome());
        assertFalse(e.streamed());
        assertFalse(e.cached());
        assertEquals(1, e.attempts().size());
        assertEquals("fake", e.attempts().get(0).provider());
        assertNull(e.attempts().get(0).errorClass());
    }

    @Test
    void jsonUsageComesFromTheAdapterHeadersAndTheBodyIsRelayedAsSent() throws Exception {
        String rid = rid();
        // the headers win over the body's usage: routing does not read a body it only relays
        String answer = "{ \"id\" : \"chatcmpl-2\",\n  \"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7}, \"choices\":[] }";
        stub("fake", ok(answer, "0.000002").withHeader("x-aigw-prompt-tokens", "13").withHeader("x-aigw-completion-tokens", "9"));
        Response r = call(rid).body(body("fake/fake-chat", false)).post(CHAT);
        r.then().statusCode(200).header("x-aigw-prompt-tokens", org.hamcrest.Matchers.nullValue())
                .header("x-aigw-completion-tokens", org.hamcrest.Matchers.nullValue());
        assertEquals(answer, r.asString());
        UsageEvent e = usage.await(rid, Duration.ofSeconds(30)).event();
        assertEquals(13, e.promptTokens());
        assertEquals(9, e.completionTokens());
        assertEquals(22, e.totalTokens());
    }

    @Test
    void fallsBackToNextCandidateOnUpstream5xx() throws Exception {
        String rid = rid();
        stub("fake", providerError(502, "UPSTREAM_5XX", 500, "fake"));
        stub("fakeb", ok(completion("fake-chat", 5, 3), "0.000011"));
        call(rid).header("X-Aigw-Policy", "quality").body(body("chat-default", false)).post(CHAT)
                .then().statusCode(200)
                .header("x-aigw-provider", "fakeb")
                .header("x-aigw-attempts", "2")
                .header("x-aigw-policy", "quality")
                .header("x-aigw-route-reason", "group:chat-default,policy:quality,fallback")
                .header("x-aigw-attempt-log", org.hamcrest.Matchers.matchesPattern(
                        "\\[\\{\"provider\":\"fake\",\"model\":\"fake-chat\",\"outcome\":\"error\","
                                + "\"errorClass\":\"UPSTREAM_5XX\",\"latencyMs\":\\d+},"
                                + "\\{\"provider\":\"fakeb\",\"model\":\"fake-chat\",\"outcome\":\"success\","
                                + "\"errorClass\":null,\"latencyMs\":\\d+}]"));
        assertEquals(1, calls("fake"));
        assertEquals(1, calls("fakeb"));
        UsageEvent e = usage.await(rid, Duration.ofSeconds(30)).event();
        assertEquals(2, e.attempts().size());
        assertEquals("UPSTREAM_5XX", e.attempts().get(0).errorClass());
        assertEquals(500, e.attempts().get(0).status());
        assertEquals("fakeb", e.attempts().get(1).provider());
        assertNull(e.attempts().get(1).errorClass());
        assertEquals("fakeb", e.provider());
        assertEquals("quality", e.policy());
        assertEquals(8, e.totalTokens());
    }

    @Test
    void badRequestDoesNotFallBack() {
        stub("fake", providerError(502, "BAD_REQUEST", 400, "fake"));
        stub("fakeb", ok(completion("fake-chat", 5, 3), "0.000011"));
        call(rid()).body(body("chat-default", false)).post(CHAT)
                .then().statusCode(400)
                .header("x-aigw-attempts", "1")
                .header("x-should-retry", "false")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_request"));
        assertEquals(1, calls("fake"));
        assertEquals(0, calls("fakeb"));
    }

    @Test
    void contentFilterIs400WithItsCode() {
        stub("fake", providerError(502, "CONTENT_FILTERED", 400, "fake"));
        call(rid()).body(body("fake/fake-chat", false)).post(CHAT)
                .then().statusCode(400).body("error.code", equalTo("content_filter"));
    }

    @Test
    void allFailIs502WithAttemptsAndUsageError() throws Exception {
        String rid = rid();
        stub("fake", providerError(502, "UPSTREAM_5XX", 500, "fake"));
        stub("fakeb", providerError(502, "OVERLOADED", 503, "fakeb"));
        call(rid).body(body("chat-default", false)).post(CHAT)
                .then().statusCode(502)
                .header("x-aigw-attempts", "2")
                .body("error.type", equalTo("api_error"))
                .body("error.message", containsString("fake/fake-chat UPSTREAM_5XX (status 500)"))
                .body("error.message", containsString("fakeb/fake-chat OVERLOADED (status 503)"))
                .body("error", org.hamcrest.Matchers.hasKey("param"));
        UsageEvent e = usage.await(rid, Duration.ofSeconds(30)).event();
        assertEquals(UsageEvent.Outcome.ERROR, e.outcome());
        assertEquals("OVERLOADED", e.errorClass());
        assertEquals(2, e.attempts().size());
    }

    @Test
    void allRateLimitedIs429WithRetryAfter() {
        stub("fake", aResponse().withStatus(502).withHeader("Content-Type", "application/json")
                .withBody("{\"errorClass\":\"RATE_LIMITED\",\"providerStatus\":429,\"retryAfterMs\":4000,\"provider\":\"fake\"}"));
        stub("fakeb", aResponse().withStatus(502).withHeader("Content-Type", "application/json")
                .withBody("{\"errorClass\":\"RATE_LIMITED\",\"providerStatus\":429,\"retryAfterMs\":2000,\"provider\":\"fakeb\"}"));
        call(rid()).body(body("fake-chat", false)).post(CHAT)
                .then().statusCode(429).header("retry-after", "2").header("x-aigw-attempts", "2");
    }

    @Test
    void adapterUnreachableAnswerIsClassifiedAndFallsBack() {
        stub("fake", aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER));
        stub("fakeb", ok(completion("fake-chat", 1, 1), "0.0000001"));
        call(rid()).body(body("chat-default", false)).post(CHAT)
                .then().statusCode(200).header("x-aigw-provider", "fakeb");
    }

    @Test
    void unknownModelIs404() {
        call(rid()).body(body("no-such-model", false)).post(CHAT)
                .then().statusCode(404)
                .header("x-should-retry", "false")
                .body("error.code", equalTo("model_not_found"))
                .body("error.param", equalTo("model"));
    }

    @Test
    void disabledProvidersOnlyIs503WithRetryAfter() {
        call(rid()).body(body("down-group", false)).post(CHAT)
                .then().statusCode(503).header("retry-after", "5").body("error.code", equalTo("no_provider_available"));
    }

    @Test
    void pinnedProviderIsUsed() {
        stub("fakeb", ok(completion("fake-chat", 1, 1), "0.0000001"));
        call(rid()).body(body("fakeb/fake-chat", false)).post(CHAT)
                .then().statusCode(200).header("x-aigw-provider", "fakeb").header("x-aigw-route-reason", "pinned,policy:user-preference");
    }

    @Test
    void missingOrWrongTokenIs401Envelope() {
        given().contentType("application/json").body(body("chat-default", false)).post(CHAT)
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header("X-Aigw-Internal-Token", "nope").contentType("application/json").body(body("chat-default", false)).post(CHAT)
                .then().statusCode(401).body("error.type", equalTo("invalid_request_error"));
        given().get("/internal/v1/models").then().statusCode(401);
        assertEquals(0, calls("fake"));
    }

    @Test
    void malformedBodyIs400() {
        call(rid()).body("{not json").post(CHAT).then().statusCode(400).body("error.code", equalTo("invalid_json"));
        call(rid()).body("{\"model\":\"chat-default\"}").post(CHAT).then().statusCode(400).body("error.param", equalTo("messages"));
        call(rid()).header("X-Aigw-Policy", "fastest").body(body("chat-default", false)).post(CHAT).then().statusCode(400);
    }

    @Test
    void modelsListsGroupsAndProviderModelsMarkingTheDisabled() {
        given().header("X-Aigw-Internal-Token", TOKEN).get("/internal/v1/models")
                .then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", hasItems("chat-default", "down-group", "fake/fake-chat", "fake/fake-chat-large", "fakeb/fake-chat", "down/down-model"))
                .body("data.find { it.id == 'fake/fake-chat' }.aigw.enabled", equalTo(true))
                .body("data.find { it.id == 'down/down-model' }.aigw.enabled", equalTo(false))
                .body("data.find { it.id == 'down-group' }.aigw.enabled", equalTo(false))
                .body("data.find { it.id == 'chat-default' }.owned_by", equalTo("aigw"))
                .body("data.find { it.id == 'fakeb/fake-chat' }.owned_by", equalTo("fakeb"));
    }

    @Test
    void healthAndMetricsAreOpen() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        stub("fake", ok(completion("fake-chat", 1, 1), "0.0000001"));
        call(rid()).body(body("chat-default", false)).post(CHAT).then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("aigw_routing_requests_total"));
    }

    // ------------------------------------------------------------------ streams

    static String chunk(String content) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-chat\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                + content + "\"},\"finish_reason\":null}]}\n\n";
    }

    static final String ROLE = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-chat\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]}\n\n";
    static final String FINISH = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-chat\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
    static final String USAGE_CHUNK = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-chat\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":8,\"total_tokens\":17}}\n\n";
    static final String AIGW_USAGE = "event: aigw-usage\ndata: {\"promptTokens\":9,\"completionTokens\":8,\"costUsd\":0.0000295,\"usageEstimated\":false,\"ttftMs\":12}\n\n";

    static String fullStream(int contentChunks) {
        StringBuilder sb = new StringBuilder(ROLE);
        for (int i = 0; i < contentChunks; i++) {
            sb.append(chunk("w" + i + " "));
        }
        return sb.append(FINISH).append(USAGE_CHUNK).append(AIGW_USAGE).append("data: [DONE]\n\n").toString();
    }

    static ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
    }

    record Line(long atMs, String text) {
    }

    record StreamResult(HttpResponse<Stream<String>> response, List<Line> lines) {
        List<String> data() {
            return lines.stream().map(Line::text).filter(l -> !l.isEmpty()).toList();
        }
    }

    StreamResult stream(String rid, String model) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(base.toString()).resolve(CHAT))
                .header("X-Aigw-Internal-Token", TOKEN).header("X-Request-Id", rid)
                .header("X-Aigw-Caller-User", "user-s").header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body(model, true))).build();
        long t0 = System.nanoTime();
        HttpResponse<Stream<String>> resp = client.send(req, HttpResponse.BodyHandlers.ofLines());
        List<Line> lines = new ArrayList<>();
        Iterator<String> it = resp.body().iterator();
        while (it.hasNext()) {
            String l = it.next();
            lines.add(new Line((System.nanoTime() - t0) / 1_000_000, l));
        }
        return new StreamResult(resp, lines);
    }

    @Test
    void streamPassesChunksThroughAsTheyArrive() throws Exception {
        String rid = rid();
        stub("fake", sse(fullStream(8)).withChunkedDribbleDelay(6, 1800));
        StreamResult s = stream(rid, "chat-default");
        assertEquals(200, s.response().statusCode());
        assertEquals("fake", s.response().headers().firstValue("x-aigw-provider").orElse(null));
        assertTrue(s.response().headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> data = s.data();
        assertTrue(data.get(0).contains("\"role\":\"assistant\""), data.get(0));
        assertTrue(data.get(1).contains("w0"), data.get(1));
        assertEquals("data: [DONE]", data.get(data.size() - 1));
        assertTrue(data.stream().anyMatch(l -> l.contains("\"usage\":{\"prompt_tokens\":9")), "usage chunk relayed");
        assertFalse(s.lines().stream().anyMatch(l -> l.text().startsWith("event:") || l.text().contains("aigw-usage")
                || l.text().contains("promptTokens")), "named events never leave routing");
        long firstContent = s.lines().stream().filter(l -> l.text().contains("w0")).findFirst().orElseThrow().atMs();
        long last = s.lines().get(s.lines().size() - 1).atMs();
        assertTrue(last - firstContent >= 700, "first content at " + firstContent + " ms, end at " + last + " ms: not streamed");

        UsageEvent e = usage.await(rid, Duration.ofSeconds(30)).event();
        assertTrue(e.streamed());
        assertEquals(UsageEvent.Outcome.SUCCESS, e.outcome());
        assertEquals(9, e.promptTokens());
        assertEquals(8, e.completionTokens());
        assertEquals(0, new BigDecimal("0.0000295").compareTo(e.costUsd()));
        assertTrue(e.ttftMs() != null && e.ttftMs() >= 0);
    }

    @Inject
    io.vertx.core.Vertx vertx;

    @Test
    void streamEndsWithTheCostAsATrailerForTheEdge() throws Exception {
        stub("fake", sse(fullStream(2)));
        io.vertx.core.http.HttpClient client = vertx.createHttpClient();
        try {
            var done = client.request(io.vertx.core.http.HttpMethod.POST, URI.create(base.toString()).getPort(),
                            URI.create(base.toString()).getHost(), CHAT)
                    .compose(req -> req.putHeader("X-Aigw-Internal-Token", TOKEN).putHeader("X-Request-Id", rid())
                            .putHeader("Content-Type", "application/json").putHeader("Accept", "text/event-stream")
                            .send(body("chat-default", true)))
                    .compose(resp -> resp.body().map(b -> resp))
                    .toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, done.statusCode());
            assertTrue(done.getHeader("x-aigw-attempt-log").contains("\"outcome\":\"success\""));
            assertEquals(0, new BigDecimal("0.0000295").compareTo(new BigDecimal(done.getTrailer("x-aigw-cost-usd"))));
        } finally {
            client.close();
        }
    }

    @Test
    void streamFallsBackBeforeFirstContent() throws Exception {
        String rid = rid();
        stub("fake", sse(ROLE + "event: aigw-error\ndata: {\"errorClass\":\"OVERLOADED\",\"providerStatus\":503,\"provider\":\"fake\",\"model\":\"fake-chat\"}\n\n"));
        stub("fakeb", sse(fullStream(2)));
        StreamResult s = stream(rid, "chat-default");
        assertEquals(200, s.response().statusCode());
        assertEquals("fakeb", s.response().headers().firstValue("x-aigw-provider").orElse(null));
        assertEquals("2", s.response().headers().firstValue("x-aigw-attempts").orElse(null));
        List<String> data = s.data();
        assertEquals(1, data.stream().filter(l -> l.contains("\"role\"")).count(), "only the served stream's role chunk");
        assertEquals("data: [DONE]", data.get(data.size() - 1));
        UsageEvent e = usage.await(rid, Duration.ofSeconds(30)).event();
        assertEquals("OVERLOADED", e.attempts().get(0).errorClass());
        assertEquals("fakeb", e.provider());
    }

    @Test
    void streamNon2xxBeforeContentFallsBackAndAllFailingIsHttpError() throws Exception {
        stub("fake", providerError(502, "UPSTREAM_5XX", 500, "fake"));
        stub("fakeb", providerError(504, "TIMEOUT", null, "fakeb"));
        StreamResult s = stream(rid(), "chat-default");
        assertEquals(502, s.response().statusCode());
        assertTrue(String.join("\n", s.data()).contains("\"error\""));
        assertEquals("2", s.response().headers().firstValue("x-aigw-attempts").orElse(null));
    }

    @Test
    void midStreamErrorEndsWithErrorChunkAndNoDone() throws Exception {
        String rid = rid();
        stub("fake", sse(ROLE + chunk("Hello") + chunk(" world")
                + "event: aigw-error\ndata: {\"errorClass\":\"CONNECTION\",\"provider\":\"fake\",\"model\":\"fake-chat\",\"message\":\"reset\"}\n\n"));
        stub("fakeb", sse(fullStream(2)));
        StreamResult s = stream(rid, "chat-default");
        assertEquals(200, s.response().statusCode());
        List<String> data = s.data();
        assertTrue(data.get(data.size() - 1).startsWith("data: {\"error\":{"), data.toString());
        assertTrue(data.get(data.size() - 1).contains("upstream_connection_error"));
        assertFalse(data.contains("data: [DONE]"));
        assertFalse(data.stream().anyMatch(l -> l.startsWith("event:")));
        assertEquals(0, calls("fakeb"));
        UsageEvent e = usage.await(rid, Duration.ofSeconds(30)).event();
        assertEquals(UsageEvent.Outcome.PARTIAL, e.outcome());
        assertEquals("CONNECTION", e.errorClass());
    }
}
