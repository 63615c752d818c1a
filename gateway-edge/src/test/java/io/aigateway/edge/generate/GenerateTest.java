package io.aigateway.edge.generate;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.aigateway.edge.chat.ChatCompletionsTest;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /api/v1/ai/generate} as JSON: translation to the chat request, the answer object, 400s, errors. */
@QuarkusTest
@QuarkusTestResource(WireMockResource.class)
class GenerateTest {

    static final String PATH = "/api/v1/ai/generate";
    static final String ROUTE = ChatCompletionsTest.ROUTE;
    static final String ATTEMPT_LOG = "[{\"provider\":\"fake\",\"model\":\"fake-chat\",\"outcome\":\"error\","
            + "\"errorClass\":\"UPSTREAM_5XX\",\"latencyMs\":12},{\"provider\":\"fakeb\",\"model\":\"fake-chat\","
            + "\"outcome\":\"success\",\"errorClass\":null,\"latencyMs\":30}]";

    @Inject
    RedisDataSource redis;

    Keys.TestKey key;

    @BeforeEach
    void setUp() {
        key = Keys.inRedis(redis, "gen-user-" + UUID.randomUUID(), "user");
        for (String model : List.of("g-json", "chat-default", "fakeb/fake-chat", "fast-group")) {
            stubJson(model, "MISS");
        }
        stubJson("g-cached", "HIT");
        WireMockResource.routing().stubFor(post(urlEqualTo(ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("g-429")))
                .willReturn(aResponse().withStatus(429).withHeader("content-type", "application/json")
                        .withHeader("retry-after", "3").withHeader("x-aigw-attempts", "2")
                        .withHeader("x-aigw-attempt-log", ATTEMPT_LOG)
                        .withBody("{\"error\":{\"message\":\"rate limited\",\"type\":\"rate_limit_error\","
                                + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}")));
    }

    static void stubJson(String model, String cache) {
        WireMockResource.routing().stubFor(post(urlEqualTo(ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(model)))
                .willReturn(aResponse().withStatus(200)
                        .withHeader("content-type", "application/json")
                        .withHeader("x-aigw-provider", "fakeb")
                        .withHeader("x-aigw-model", "fake-chat")
                        .withHeader("x-aigw-attempts", "2")
                        .withHeader("x-aigw-cache", cache)
                        .withHeader("x-aigw-upstream-ms", "0")
                        .withHeader("x-aigw-cost-usd", "0.0000305")
                        .withHeader("x-aigw-attempt-log", ATTEMPT_LOG)
                        .withBody(ChatCompletionsTest.COMPLETION)));
    }

    Response generate(String rid, String body) {
        return given().header("Authorization", key.bearer()).header("Content-Type", "application/json")
                .header("X-Request-Id", rid).body(body).post(PATH);
    }

    static String rid() {
        return "gen-" + UUID.randomUUID();
    }

    static LoggedRequest routed(String rid) {
        List<LoggedRequest> found = WireMockResource.routing().findAll(postRequestedFor(urlEqualTo(ROUTE))
                .withHeader("X-Request-Id", WireMock.equalTo(rid)));
        assertEquals(1, found.size(), "one routed request for " + rid);
        return found.get(0);
    }

    @Test
    void promptWithSystemPromptAndOptionsBecomesAChatRequestAndTheAnswerIsNative() {
        String rid = rid();
        Response r = generate(rid, "{\"prompt\":\"Say hello\",\"systemPrompt\":\"Be brief.\",\"model\":\"g-json\","
                + "\"context\":\"writing\",\"policy\":\"cost\",\"options\":{\"temperature\":0.70,\"maxTokens\":50,"
                + "\"topP\":0.9,\"stop\":[\"\\n\\n\"],\"presencePenalty\":0.1,\"frequencyPenalty\":0.2,\"seed\":7}}");
        r.then().statusCode(200)
                .header("content-type", "application/json")
                .header("x-request-id", rid)
                .header("x-aigw-provider", "fakeb")
                .header("x-aigw-cost-usd", nullValue())
                .header("x-aigw-attempt-log", nullValue())
                .body("requestId", equalTo(rid))
                .body("content", equalTo("Hello"))
                .body("provider", equalTo("fakeb"))
                .body("model", equalTo("fake-chat"))
                .body("usage.promptTokens", equalTo(3))
                .body("usage.completionTokens", equalTo(1))
                .body("usage.totalTokens", equalTo(4))
                .body("cached", equalTo(false))
                .body("attempts.size()", equalTo(2))
                .body("attempts[0].provider", equalTo("fake"))
                .body("attempts[0].outcome", equalTo("error"))
                .body("attempts[0].errorClass", equalTo("UPSTREAM_5XX"))
                .body("attempts[0].latencyMs", equalTo(12))
                .body("attempts[1].provider", equalTo("fakeb"))
                .body("attempts[1].outcome", equalTo("success"))
                .body("attempts[1].errorClass", nullValue());
        assertTrue(r.asString().contains("\"costUsd\":0.0000305"), r.asString());
        assertTrue(r.jsonPath().getLong("latencyMs") >= 0);

        LoggedRequest sent = routed(rid);
        assertEquals("writing", sent.getHeader("X-Aigw-Context"));
        assertEquals("cost", sent.getHeader("X-Aigw-Policy"));
        assertEquals(key.userId(), sent.getHeader("X-Aigw-Caller-User"));
        assertEquals("application/json", sent.getHeader("Accept"));
        assertFalse(sent.containsHeader("Cache-Control"), "useCache defaults to true");
        JsonPath body = new JsonPath(sent.getBodyAsString());
        assertEquals("g-json", body.getString("model"));
        assertEquals(List.of(Map.of("role", "system", "content", "Be brief."), Map.of("role", "user", "content", "Say hello")),
                body.getList("messages"));
        assertTrue(sent.getBodyAsString().contains("\"temperature\":0.70"), "numbers exact: " + sent.getBodyAsString());
        assertEquals(50, body.getInt("max_tokens"));
        assertEquals(0.9f, body.getFloat("top_p"));
        assertEquals(List.of("\n\n"), body.getList("stop"));
        assertEquals(0.1f, body.getFloat("presence_penalty"));
        assertEquals(0.2f, body.getFloat("frequency_penalty"));
        assertEquals(7, body.getInt("seed"));
        assertNull(body.get("stream"));
        assertNull(body.get("maxTokens"));
    }

    @Test
    void messagesWithSystemPromptAndTheDefaultModel() {
        String rid = rid();
        generate(rid, "{\"systemPrompt\":\"S\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"assistant\",\"content\":\"b\"},{\"role\":\"user\",\"content\":\"c\"}]}")
                .then().statusCode(200).body("content", equalTo("Hello"));
        JsonPath body = new JsonPath(routed(rid).getBodyAsString());
        assertEquals("chat-default", body.getString("model"));
        assertEquals(List.of("system", "user", "assistant", "user"), body.getList("messages.role"));
        assertEquals(List.of("S", "a", "b", "c"), body.getList("messages.content"));
    }

    @Test
    void providerAndModelPinTheModelAndModelAloneNamesAModelOrGroup() {
        String pinned = rid();
        generate(pinned, "{\"prompt\":\"x\",\"provider\":\"fakeb\",\"model\":\"fake-chat\"}").then().statusCode(200);
        assertEquals("fakeb/fake-chat", new JsonPath(routed(pinned).getBodyAsString()).getString("model"));
        String group = rid();
        generate(group, "{\"prompt\":\"x\",\"model\":\"fast-group\"}").then().statusCode(200);
        assertEquals("fast-group", new JsonPath(routed(group).getBodyAsString()).getString("model"));
    }

    @Test
    void useCacheFalseAsksRoutingNeitherToReadNorToWriteTheCache() {
        String off = rid();
        generate(off, "{\"prompt\":\"x\",\"model\":\"g-json\",\"useCache\":false}").then().statusCode(200)
                .body("cached", equalTo(false));
        assertEquals("no-cache, no-store", routed(off).getHeader("Cache-Control"));
        String on = rid();
        generate(on, "{\"prompt\":\"x\",\"model\":\"g-cached\",\"useCache\":true}").then().statusCode(200)
                .body("cached", equalTo(true))
                .body("costUsd", equalTo(0));
        assertFalse(routed(on).containsHeader("Cache-Control"));
    }

    @Test
    void badInputIs400WithTheNativeParam() {
        Object[][] cases = {
                {"{\"model\":\"g-json\"}", "prompt", "missing_required_parameter"},
                {"{\"prompt\":\"x\",\"messages\":[]}", "messages", "invalid_request"},
                {"{\"prompt\":5}", "prompt", "invalid_type"},
                {"{\"prompt\":\"\"}", "prompt", "invalid_type"},
                {"{\"messages\":\"hi\"}", "messages", "invalid_type"},
                {"{\"messages\":[{\"content\":\"x\"}]}", "messages[0].role", null},
                {"{\"systemPrompt\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"content\":\"x\"}]}",
                        "messages[1].role", null},
                {"{\"prompt\":\"x\",\"temperature\":1}", "temperature", "unknown_parameter"},
                {"{\"prompt\":\"x\",\"options\":{\"top_k\":3}}", "options.top_k", "unknown_parameter"},
                {"{\"prompt\":\"x\",\"options\":[]}", "options", "invalid_type"},
                {"{\"prompt\":\"x\",\"options\":{\"maxTokens\":\"many\"}}", "options.maxTokens", "invalid_type"},
                {"{\"prompt\":\"x\",\"options\":{\"temperature\":\"hot\"}}", "options.temperature", "invalid_type"},
                {"{\"prompt\":\"x\",\"context\":\"Not Valid!\"}", "context", "invalid_context"},
                {"{\"prompt\":\"x\",\"context\":3}", "context", "invalid_type"},
                {"{\"prompt\":\"x\",\"policy\":\"fastest\"}", "policy", "invalid_policy"},
                {"{\"prompt\":\"x\",\"useCache\":\"no\"}", "useCache", "invalid_type"},
                {"{\"prompt\":\"x\",\"stream\":1}", "stream", "invalid_type"},
                {"{\"prompt\":\"x\",\"provider\":\"fakeb\"}", "model", "missing_required_parameter"},
                {"{\"prompt\":\"x\",\"systemPrompt\":false}", "systemPrompt", "invalid_type"},
        };
        for (Object[] c : cases) {
            Response r = generate(rid(), (String) c[0]);
            assertEquals(400, r.statusCode(), c[0] + " → " + r.asString());
            assertEquals("invalid_request_error", r.jsonPath().getString("error.type"), (String) c[0]);
            assertEquals(c[1], r.jsonPath().getString("error.param"), c[0] + " → " + r.asString());
            if (c[2] != null) {
                assertEquals(c[2], r.jsonPath().getString("error.code"), c[0] + " → " + r.asString());
            }
        }
        generate(rid(), "{\"prompt\":\"x\"} trailing").then().statusCode(400).body("error.code", equalTo("invalid_json"));
        generate(rid(), "[1]").then().statusCode(400).body("error.code", equalTo("invalid_json"));
    }

    @Test
    void routingErrorsComeInTheV1EnvelopeAndStatus() {
        Response r = generate(rid(), "{\"prompt\":\"x\",\"model\":\"g-429\"}");
        r.then().statusCode(429)
                .header("retry-after", "3")
                .header("x-aigw-attempts", "2")
                .header("x-aigw-attempt-log", nullValue())
                .body("error.type", equalTo("rate_limit_error"))
                .body("error.code", equalTo("rate_limit_exceeded"));
    }

    @Test
    void unauthenticatedIs401() {
        given().header("Content-Type", "application/json").body("{\"prompt\":\"x\"}").post(PATH)
                .then().statusCode(401).body("error.type", equalTo("invalid_request_error"));
        given().header("Authorization", "Bearer aigw_nope").header("Content-Type", "application/json")
                .body("{\"prompt\":\"x\"}").post(PATH).then().statusCode(401);
        given().header("Authorization", key.bearer()).get(PATH).then().statusCode(405).header("allow", "POST");
    }

    @Test
    void theEdgeOnlyHeadersNeverReachV1Clients() {
        given().header("Authorization", key.bearer()).header("Content-Type", "application/json")
                .body("{\"model\":\"g-json\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions")
                .then().statusCode(200)
                .header("x-aigw-provider", "fakeb")
                .header("x-aigw-cost-usd", nullValue())
                .header("x-aigw-attempt-log", nullValue())
                .body("choices[0].message.content", equalTo("Hello"));
    }
}
