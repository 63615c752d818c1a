package io.aigateway.edge.chat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(WireMockResource.class)
public class ChatCompletionsTest {

    public static final String ROUTE = "/internal/v1/route/chat";
    public static final String COMPLETION = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
            + "\"model\":\"fake-chat\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    @Inject
    RedisDataSource redis;

    Keys.TestKey key;

    @BeforeEach
    void setUp() {
        key = Keys.inRedis(redis, "user-" + UUID.randomUUID(), "user,beta");
        WireMockResource.routing().stubFor(post(urlEqualTo(ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m-json")))
                .willReturn(aResponse().withStatus(200)
                        .withHeader("content-type", "application/json")
                        .withHeader("x-request-id", "ignored-by-test")
                        .withHeader("x-aigw-provider", "fake")
                        .withHeader("x-aigw-model", "fake-chat")
                        .withHeader("x-aigw-policy", "cost")
                        .withHeader("x-aigw-attempts", "1")
                        .withHeader("x-aigw-route-reason", "cheapest")
                        .withHeader("x-aigw-upstream-ms", "0")
                        .withHeader("x-aigw-cost-usd", "0.001")
                        .withHeader("x-aigw-cache", "HIT")
                        .withHeader("age", "12")
                        .withHeader("x-internal-secret", "nope")
                        .withBody(COMPLETION)));
    }

    private static LoggedRequest routedRequest(String requestId) {
        List<LoggedRequest> found = WireMockResource.routing().findAll(postRequestedFor(urlEqualTo(ROUTE))
                .withHeader("X-Request-Id", WireMock.equalTo(requestId)));
        assertEquals(1, found.size(), "exactly one routed request with X-Request-Id " + requestId);
        return found.get(0);
    }

    @Test
    void jsonCompletionIsRelayedWithIdentityFromTheKeyOnly() {
        // odd spacing and an unknown field: routing receives the validated tree (unknown field kept, spacing not)
        String body = "{ \"model\" : \"m-json\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],  \"x_unknown\": {\"a\":1} }";
        String rid = "client-rid-" + UUID.randomUUID();
        Response r = given().header("Authorization", key.bearer())
                .header("Content-Type", "application/json")
                .header("X-Request-Id", rid)
                .header("X-Aigw-Caller-User", "evil")
                .header("X-Aigw-Caller-Roles", "admin")
                .header("X-Custom", "should-not-pass")
                .header("X-Aigw-Policy", "COST")
                .header("X-Aigw-Context", "writing")
                .header("Cache-Control", "no-cache")
                .header("X-Aigw-Cache-Ttl", "60")
                .body(body)
                .post("/v1/chat/completions");
        r.then().statusCode(200)
                .header("x-request-id", rid)
                .header("x-aigw-provider", "fake")
                .header("x-aigw-model", "fake-chat")
                .header("x-aigw-policy", "cost")
                .header("x-aigw-attempts", "1")
                .header("x-aigw-route-reason", "cheapest")
                .header("x-aigw-cache", "HIT")
                .header("age", "12")
                .header("x-aigw-overhead-ms", Matchers.matchesPattern("\\d+"));
        assertEquals(COMPLETION, r.asString());
        assertNull(r.getHeader("x-aigw-upstream-ms"));
        assertNull(r.getHeader("x-aigw-cost-usd"));
        assertNull(r.getHeader("x-internal-secret"));

        LoggedRequest sent = routedRequest(rid);
        assertEquals("{\"model\":\"m-json\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"x_unknown\":{\"a\":1}}",
                sent.getBodyAsString());
        assertEquals("test-internal-token", sent.getHeader("X-Aigw-Internal-Token"));
        assertEquals(List.of(key.userId()), sent.header("X-Aigw-Caller-User").values());
        assertEquals(List.of(key.keyId()), sent.header("X-Aigw-Caller-Key").values());
        assertEquals(List.of("beta,user"), sent.header("X-Aigw-Caller-Roles").values());
        assertEquals("cost", sent.getHeader("X-Aigw-Policy"));
        assertEquals("writing", sent.getHeader("X-Aigw-Context"));
        assertEquals("no-cache", sent.getHeader("Cache-Control"));
        assertEquals("60", sent.getHeader("X-Aigw-Cache-Ttl"));
        assertEquals("application/json", sent.getHeader("Accept"));
        assertFalse(sent.containsHeader("X-Custom"));
        assertFalse(sent.containsHeader("Authorization"));
        assertFalse(body.contains(key.key()));
    }

    @Test
    void requestIdIsGeneratedWhenAbsentOrInsane() {
        String body = "{\"model\":\"m-json\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String rid = given().header("Authorization", key.bearer()).body(body)
                .post("/v1/chat/completions")
                .then().statusCode(200).extract().header("x-request-id");
        assertTrue(rid.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), rid);
        routedRequest(rid);

        String insane = given().header("Authorization", key.bearer()).header("X-Request-Id", "bad id with spaces")
                .body(body).post("/v1/chat/completions")
                .then().statusCode(200).extract().header("x-request-id");
        assertTrue(insane.matches("[0-9a-f-]{36}"), insane);
    }

    @Test
    void keyKnownOnlyToAdminServiceIsAccepted() {
        Keys.TestKey adminKey = Keys.atAdmin("user-admin-only", "user");
        String rid = "admin-only-" + UUID.randomUUID();
        given().header("Authorization", adminKey.bearer()).header("X-Request-Id", rid)
                .body("{\"model\":\"m-json\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions")
                .then().statusCode(200);
        assertEquals("user-admin-only", routedRequest(rid).getHeader("X-Aigw-Caller-User"));
    }

    @Test
    void unknownMissingAndMalformedKeysAre401() {
        String body = "{\"model\":\"m-json\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String unknown = Keys.newKey("x").key();
        for (String auth : new String[]{"Bearer " + unknown, "Bearer sk-not-ours", "Basic abc"}) {
            given().header("Authorization", auth).body(body).post("/v1/chat/completions")
                    .then().statusCode(401)
                    .header("x-should-retry", "false")
                    .header("x-request-id", Matchers.notNullValue())
                    .body("error.type", Matchers.equalTo("invalid_request_error"))
                    .body("error.code", Matchers.equalTo("invalid_api_key"))
                    .body("error.message", Matchers.not(Matchers.containsString(unknown.substring(5))));
        }
        given().body(body).post("/v1/chat/completions")
                .then().statusCode(401)
                .header("x-request-id", Matchers.notNullValue())
                .body("error.code", Matchers.equalTo("invalid_api_key"))
                .body("error", Matchers.hasKey("param"));
    }

    @Test
    void badInputIs400WithTheRightParam() {
        expect400("{not json", null, "invalid_json");
        expect400("[1,2]", null, "invalid_json");
        expect400("", null, "invalid_json");
        expect400("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model", "missing_required_parameter");
        expect400("{\"model\":\"m\",\"messages\":[]}", "messages", "empty_array");
        expect400("{\"model\":\"m\"}", "messages", "missing_required_parameter");
        expect400("{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model", "invalid_type");
        expect400("{\"model\":\"m\",\"messages\":\"hi\"}", "messages", "invalid_type");
        expect400("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}",
                "temperature", "invalid_type");
        expect400("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}",
                "stream", "invalid_type");
    }

    @Test
    void badControlHeadersAre400() {
        String body = "{\"model\":\"m-json\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        given().header("Authorization", key.bearer()).header("X-Aigw-Policy", "fastest").body(body)
                .post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.param", Matchers.equalTo("X-Aigw-Policy"))
                .body("error.code", Matchers.equalTo("invalid_policy"));
        given().header("Authorization", key.bearer()).header("X-Aigw-Context", "Not Valid!").body(body)
                .post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.param", Matchers.equalTo("X-Aigw-Context"));
    }

    private void expect400(String body, String param, String code) {
        given().header("Authorization", key.bearer()).header("Content-Type", "application/json").body(body)
                .post("/v1/chat/completions")
                .then().statusCode(400)
                .header("x-request-id", Matchers.notNullValue())
                .body("error.type", Matchers.equalTo("invalid_request_error"))
                .body("error.param", Matchers.equalTo(param))
                .body("error.code", Matchers.equalTo(code));
    }

    @Test
    void bodyOver8MbIs413InTheEnvelope() {
        StringBuilder sb = new StringBuilder(9 * 1024 * 1024);
        sb.append("{\"model\":\"m-json\",\"messages\":[{\"role\":\"user\",\"content\":\"");
        while (sb.length() < 8 * 1024 * 1024 + 100) {
            sb.append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ");
        }
        sb.append("\"}]}");
        given().header("Authorization", key.bearer()).header("Content-Type", "application/json").body(sb.toString())
                .post("/v1/chat/completions")
                .then().statusCode(413)
                .header("x-request-id", Matchers.notNullValue())
                .body("error.code", Matchers.equalTo("request_too_large"))
                .body("error.type", Matchers.equalTo("invalid_request_error"));
    }

    @Test
    void routingErrorsAreRelayedWithTheirHeaders() {
        WireMockResource.routing().stubFor(post(urlEqualTo(ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("no-such-model")))
                .willReturn(aResponse().withStatus(404)
                        .withHeader("content-type", "application/json")
                        .withHeader("x-should-retry", "false")
                        .withHeader("x-aigw-attempts", "0")
                        .withBody("{\"error\":{\"message\":\"The model 'no-such-model' does not exist\","
                                + "\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_found\"}}")));
        given().header("Authorization", key.bearer())
                .body("{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions")
                .then().statusCode(404)
                .header("x-should-retry", "false")
                .header("x-aigw-attempts", "0")
                .body("error.code", Matchers.equalTo("model_not_found"))
                .body("error.param", Matchers.equalTo("model"));
    }

    @Test
    void brokenRoutingIsA5xxEnvelope() {
        WireMockResource.routing().stubFor(post(urlEqualTo(ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m-reset")))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().header("Authorization", key.bearer())
                .body("{\"model\":\"m-reset\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions")
                .then().statusCode(Matchers.anyOf(Matchers.is(502), Matchers.is(503)))
                .body("error.type", Matchers.equalTo("api_error"));
    }

    @Test
    void unknownRoutesAndMethodsUseTheEnvelope() {
        given().get("/v1/nope").then().statusCode(404)
                .header("x-request-id", Matchers.notNullValue())
                .body("error.type", Matchers.equalTo("invalid_request_error"));
        given().get("/v1/chat/completions").then().statusCode(405)
                .body("error.code", Matchers.equalTo("method_not_allowed"));
        given().post("/v1/models").then().statusCode(405);
    }

    @Test
    void theEdgeOverheadLeavesOutTheWaitForRouting() {
        WireMockResource.routing().stubFor(post(urlEqualTo(ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m-slow")))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withFixedDelay(1500).withBody(COMPLETION)));
        io.aigateway.testsupport.MetricsScrape before = io.aigateway.testsupport.MetricsScrape.parse(
                given().get("/q/metrics").asString());
        long t0 = System.nanoTime();
        given().header("Authorization", key.bearer())
                .body("{\"model\":\"m-slow\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        double totalSeconds = (System.nanoTime() - t0) / 1e9;
        io.aigateway.testsupport.MetricsScrape after = io.aigateway.testsupport.MetricsScrape.parse(
                given().get("/q/metrics").asString());
        double count = after.value("aigw_edge_overhead_seconds_count", "route", "chat")
                - before.value("aigw_edge_overhead_seconds_count", "route", "chat");
        double sum = after.value("aigw_edge_overhead_seconds_sum", "route", "chat")
                - before.value("aigw_edge_overhead_seconds_sum", "route", "chat");
        assertEquals(1, count);
        assertTrue(totalSeconds >= 1.5, "the request waited for routing: " + totalSeconds);
        assertTrue(sum >= 0 && sum < 1.0, "the 1.5 s routing took are not the edge's overhead: " + sum);
        assertTrue(after.has("aigw_edge_overhead_seconds_bucket", "route", "chat", "le", "5.0E-4")
                || after.has("aigw_edge_overhead_seconds_bucket", "route", "chat", "le", "0.0005"), "SLO buckets");
    }

    @Test
    void metricsAreExposed() {
        given().header("Authorization", key.bearer())
                .body("{\"model\":\"m-json\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(Matchers.containsString("aigw_edge_requests_total{route=\"chat\",status=\"200\"}"))
                .body(Matchers.containsString("aigw_edge_auth_cache_total{result=\"miss\"}"));
    }
}
