package io.aigateway.routing;

import io.aigateway.routing.breaker.ProviderBreakers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.aigateway.routing.ChatRouteTest.CHAT;
import static io.aigateway.routing.ChatRouteTest.TOKEN;
import static io.aigateway.routing.ChatRouteTest.body;
import static io.aigateway.routing.ChatRouteTest.call;
import static io.aigateway.routing.ChatRouteTest.calls;
import static io.aigateway.routing.ChatRouteTest.completion;
import static io.aigateway.routing.ChatRouteTest.ok;
import static io.aigateway.routing.ChatRouteTest.providerError;
import static io.aigateway.routing.ChatRouteTest.rid;
import static io.aigateway.routing.ChatRouteTest.stub;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retries, fallback, deadline, circuit breakers, policies and metrics end to end, with a stubbed adapter. */
@QuarkusTest
@WithTestResource(AdapterMock.class)
@TestProfile(ResilienceTest.Profile.class)
class ResilienceTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("aigw.routing.retry.max-retries", "2");
            m.put("aigw.routing.retry.base-delay", "50ms");
            m.put("aigw.routing.retry.max-delay", "100ms");
            m.put("aigw.routing.retry.max-retry-after", "1500ms");
            m.put("aigw.routing.retry.min-attempt-time", "100ms");
            m.put("aigw.routing.deadline", "2s");
            m.put("aigw.routing.breaker.delay", "1500ms");
            // These tests count attempts exactly. WireMock fault stubs (resets, hung responses) close pooled
            // connections behind the client's back; a reused dead connection would add a CONNECTION attempt.
            m.put("aigw.adapter.keep-alive", "false");
            m.put("aigw.routing.groups.ctx-group", "fake/fake-chat,fakeb/fake-chat,fake/fake-chat-large");
            m.put("aigw.routing.round-robin.block", "16");
            return m;
        }
    }

    @Inject
    ProviderBreakers breakers;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    @BeforeEach
    void reset() {
        breakers.resetAll();
        AdapterMock.server.resetAll();
        AdapterMock.stubCatalog();
        CatalogAwait.untilLoaded();
    }

    static String rateLimited(long retryAfterMs, String provider) {
        return "{\"errorClass\":\"RATE_LIMITED\",\"providerStatus\":429,\"retryAfterMs\":" + retryAfterMs
                + ",\"message\":\"slow down\",\"provider\":\"" + provider + "\",\"model\":\"fake-chat\"}";
    }

    // ------------------------------------------------------------ retries and fallback

    @Test
    void retriesThenFallsBackOn5xxWithHeaders() {
        stub("fake", providerError(502, "UPSTREAM_5XX", 500, "fake"));
        stub("fakeb", ok(completion("fake-chat", 5, 3), "0.00001"));
        call(rid()).body(body("chat-default", false)).post(CHAT)
                .then().statusCode(200)
                .header("x-aigw-provider", "fakeb")
                .header("x-aigw-model", "fake-chat")
                .header("x-aigw-policy", "user-preference")
                .header("x-aigw-attempts", "4")
                .header("x-aigw-route-reason", "group:chat-default,policy:user-preference,fallback");
        assertEquals(3, calls("fake"));
        assertEquals(1, calls("fakeb"));
    }

    @Test
    void timeoutClassIsRetriedThenFallsBack() {
        stub("fake", providerError(504, "TIMEOUT", null, "fake"));
        stub("fakeb", ok(completion("fake-chat", 5, 3), "0.00001"));
        call(rid()).header("X-Aigw-Policy", "quality").body(body("chat-default", false)).post(CHAT)
                .then().statusCode(200).header("x-aigw-provider", "fakeb").header("x-aigw-attempts", "4")
                .header("x-aigw-route-reason", "group:chat-default,policy:quality,fallback");
    }

    @Test
    void hungAdapterTimesOutAtTheDeadline() throws Exception {
        stub("fake", ok(completion("fake-chat", 1, 1), "0").withFixedDelay(5000));
        stub("fakeb", ok(completion("fake-chat", 1, 1), "0"));
        call(rid()).body(body("fakeb/fake-chat", false)).post(CHAT).then().statusCode(200); // warm-up
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(base.toURI().resolve(CHAT))
                .header("X-Aigw-Internal-Token", TOKEN).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body("fake/fake-chat", false))).build();
        long t0 = System.nanoTime();
        java.net.http.HttpResponse<String> r = client.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(504, r.statusCode(), r.body());
        assertEquals("1", r.headers().firstValue("x-aigw-attempts").orElse(null));
        assertTrue(r.body().contains("upstream_timeout"), r.body());
        assertTrue(ms >= 1900 && ms < 2500, "took " + ms + " ms");
    }

    @Test
    void rateLimitWithLongRetryAfterFallsBackWithoutRetry() {
        stub("fake", aResponse().withStatus(502).withHeader("Content-Type", "application/json").withBody(rateLimited(5000, "fake")));
        stub("fakeb", ok(completion("fake-chat", 5, 3), "0.00001"));
        call(rid()).body(body("chat-default", false)).post(CHAT)
                .then().statusCode(200).header("x-aigw-provider", "fakeb").header("x-aigw-attempts", "2");
        assertEquals(1, calls("fake"));
    }

    @Test
    void retryAfterIsHonoured() {
        AdapterMock.server.stubFor(post(urlEqualTo("/internal/v1/providers/fake/chat")).inScenario("ra")
                .whenScenarioStateIs(STARTED).willSetStateTo("ok")
                .willReturn(aResponse().withStatus(502).withHeader("Content-Type", "application/json").withBody(rateLimited(700, "fake"))));
        AdapterMock.server.stubFor(post(urlEqualTo("/internal/v1/providers/fake/chat")).inScenario("ra")
                .whenScenarioStateIs("ok").willReturn(ok(completion("fake-chat", 2, 2), "0.00001")));
        long t0 = System.nanoTime();
        call(rid()).body(body("fake/fake-chat", false)).post(CHAT)
                .then().statusCode(200).header("x-aigw-provider", "fake").header("x-aigw-attempts", "2");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 700, "retried after " + ms + " ms, before the Retry-After");
        assertEquals(2, calls("fake"));
    }

    @Test
    void badRequestIsNeitherRetriedNorFallenBack() {
        stub("fake", providerError(502, "BAD_REQUEST", 400, "fake"));
        stub("fakeb", ok(completion("fake-chat", 5, 3), "0.00001"));
        call(rid()).body(body("chat-default", false)).post(CHAT)
                .then().statusCode(400).header("x-aigw-attempts", "1").header("x-should-retry", "false");
        assertEquals(1, calls("fake"));
        assertEquals(0, calls("fakeb"));
    }

    @Test
    void contextTooLongMovesToALargerContextModel() {
        AdapterMock.server.stubFor(post(urlEqualTo("/internal/v1/providers/fake/chat"))
                .withRequestBody(matchingJsonPath("$.model", com.github.tomakehurst.wiremock.client.WireMock.equalTo("fake-chat")))
                .willReturn(providerError(502, "CONTEXT_TOO_LONG", 400, "fake")));
        AdapterMock.server.stubFor(post(urlEqualTo("/internal/v1/providers/fake/chat"))
                .withRequestBody(matchingJsonPath("$.model", com.github.tomakehurst.wiremock.client.WireMock.equalTo("fake-chat-large")))
                .willReturn(ok(completion("fake-chat-large", 9000, 3), "0.05")));
        stub("fakeb", ok(completion("fake-chat", 5, 3), "0.00001"));
        call(rid()).body(body("ctx-group", false)).post(CHAT)
                .then().statusCode(200).header("x-aigw-model", "fake-chat-large").header("x-aigw-attempts", "2")
                .header("x-aigw-route-reason", "group:ctx-group,policy:user-preference,fallback");
        assertEquals(0, calls("fakeb"), "the same-size context window must be skipped");
    }

    @Test
    void aPromptTooLongForSmallModelsGoesStraightToTheLargeOneAndTooLongForAllIs400() {
        stub("fake", ok(completion("fake-chat-large", 9000, 3), "0.05"));
        String big = "x".repeat(40_000);
        String req = "{\"model\":\"ctx-group\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}";
        call(rid()).body(req).post(CHAT).then().statusCode(200).header("x-aigw-model", "fake-chat-large").header("x-aigw-attempts", "1");
        String huge = "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}";
        call(rid()).body(huge).post(CHAT).then().statusCode(400)
                .body("error.code", equalTo("no_capable_candidate"))
                .body("error.message", containsString("fake/fake-chat: context window 8192"));
        assertEquals(1, calls("fake"));
    }

    @Test
    void toolsSkipAModelWithoutTools() {
        stub("fakeb", ok(completion("fake-chat", 5, 3), "0.00001"));
        String req = "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}";
        call(rid()).body(req).post(CHAT).then().statusCode(200).header("x-aigw-provider", "fakeb").header("x-aigw-attempts", "1");
        assertEquals(0, calls("fake"));
    }

    @Test
    void deadlineHoldsWithRetriesAndFallbacks() {
        stub("fake", providerError(502, "UPSTREAM_5XX", 500, "fake").withFixedDelay(400));
        stub("fakeb", providerError(502, "OVERLOADED", 503, "fakeb").withFixedDelay(400));
        long t0 = System.nanoTime();
        Response r = call(rid()).body(body("chat-default", false)).post(CHAT);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        r.then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(502), equalTo(504)));
        int attempts = Integer.parseInt(r.header("x-aigw-attempts"));
        assertTrue(ms < 2300, "the 2 s deadline was exceeded: " + ms + " ms");
        assertTrue(attempts >= 4 && attempts <= 5, "attempts " + attempts);
        assertTrue(calls("fakeb") >= 1, "fell back within the deadline");
    }

    @Test
    void unknownPolicyIs400() {
        call(rid()).header("X-Aigw-Policy", "fastest").body(body("chat-default", false)).post(CHAT)
                .then().statusCode(400).body("error.code", equalTo("invalid_policy"))
                .body("error.message", containsString("round-robin"));
        assertEquals(0, calls("fake") + calls("fakeb"));
    }

    @Test
    void costPolicyPicksTheCheapestAndSaysSo() {
        stub("fake", ok(completion("fake-chat", 5, 3), "0.00001"));
        stub("fakeb", ok(completion("fake-chat", 5, 3), "0.00001"));
        call(rid()).header("X-Aigw-Policy", "cost").body(body("chat-default", false)).post(CHAT)
                .then().statusCode(200).header("x-aigw-provider", "fakeb").header("x-aigw-policy", "cost")
                .header("x-aigw-route-reason", "group:chat-default,policy:cost");
    }

    // ------------------------------------------------------------ streams

    java.net.http.HttpResponse<String> streamCall(String model) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        return client.send(java.net.http.HttpRequest.newBuilder(base.toURI().resolve(CHAT))
                .header("X-Aigw-Internal-Token", TOKEN).header("Content-Type", "application/json")
                .timeout(java.time.Duration.ofSeconds(20))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body(model, true))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void streamFailingBeforeItsFirstTokenIsRetriedThenServedByTheNextProvider() throws Exception {
        stub("fake", ChatRouteTest.sse(ChatRouteTest.ROLE + "event: aigw-error\ndata: {\"errorClass\":\"CONNECTION\",\"provider\":\"fake\",\"model\":\"fake-chat\"}\n\n"));
        stub("fakeb", ChatRouteTest.sse(ChatRouteTest.fullStream(2)));
        java.net.http.HttpResponse<String> r = streamCall("chat-default");
        assertEquals(200, r.statusCode());
        assertEquals("fakeb", r.headers().firstValue("x-aigw-provider").orElse(null));
        assertEquals("4", r.headers().firstValue("x-aigw-attempts").orElse(null));
        assertEquals(3, calls("fake"));
        assertTrue(r.body().trim().endsWith("data: [DONE]"), r.body());
    }

    @Test
    void streamDyingAfterItsFirstTokenEndsWithAnErrorChunkAndNoRetry() throws Exception {
        stub("fake", ChatRouteTest.sse(ChatRouteTest.ROLE + ChatRouteTest.chunk("Hel")
                + "event: aigw-error\ndata: {\"errorClass\":\"CONNECTION\",\"provider\":\"fake\",\"model\":\"fake-chat\"}\n\n"));
        stub("fakeb", ChatRouteTest.sse(ChatRouteTest.fullStream(2)));
        java.net.http.HttpResponse<String> r = streamCall("chat-default");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("Hel"), r.body());
        assertTrue(r.body().contains("\"error\""), "explicit error chunk: " + r.body());
        assertTrue(!r.body().contains("[DONE]"), r.body());
        assertEquals(1, calls("fake"));
        assertEquals(0, calls("fakeb"));
    }

    // ------------------------------------------------------------ round-robin

    @Test
    void roundRobinSpreadsWithin5PercentOver1000Requests() {
        stub("fake", ok(completion("fake-chat", 1, 1), "0.000001"));
        stub("fakeb", ok(completion("fake-chat", 1, 1), "0.000001"));
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            Response r = call(rid()).header("X-Aigw-Policy", "round-robin").body(body("chat-default", false)).post(CHAT);
            assertEquals(200, r.statusCode());
            served.merge(r.header("x-aigw-provider"), 1, Integer::sum);
        }
        int a = served.getOrDefault("fake", 0);
        int b = served.getOrDefault("fakeb", 0);
        assertEquals(1000, a + b);
        assertTrue(Math.abs(a - 500) <= 25 && Math.abs(b - 500) <= 25, "fake " + a + ", fakeb " + b);
    }

    // ------------------------------------------------------------ circuit breakers

    static String breakerState(String provider) {
        return given().header("X-Aigw-Internal-Token", TOKEN).get("/internal/v1/breakers")
                .then().statusCode(200).extract().path("breakers.find { it.provider == '" + provider + "' }.state");
    }

    /** The breaker's delay (1.5 s in this profile) is wall-clock time in ProviderBreakers: wait for it to pass. */
    static void awaitHalfOpen(String provider) {
        await(provider + " half-open").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> "HALF_OPEN".equals(breakerState(provider)));
    }

    @Test
    void breakerOpensRejectsHalfOpensClosesAndResets() {
        stub("fakeb", providerError(502, "UPSTREAM_5XX", 500, "fakeb"));
        stub("fake", ok(completion("fake-chat", 1, 1), "0.000001"));
        assertEquals("CLOSED", breakerState("fakeb"));
        // 3 failures (1 + 2 retries), then 2 more: the 5th opens the breaker and the last retry is rejected
        call(rid()).body(body("fakeb/fake-chat", false)).post(CHAT).then().statusCode(502).header("x-aigw-attempts", "3");
        assertEquals("CLOSED", breakerState("fakeb"));
        call(rid()).body(body("fakeb/fake-chat", false)).post(CHAT).then().statusCode(502)
                .header("x-aigw-attempts", "3")
                .body("error.message", containsString("fakeb/fake-chat CIRCUIT_OPEN"));
        assertEquals(5, calls("fakeb"));
        assertEquals("OPEN", breakerState("fakeb"));

        // open: rejected without calling the adapter; a group skips it
        call(rid()).body(body("fakeb/fake-chat", false)).post(CHAT).then().statusCode(503)
                .header("retry-after", org.hamcrest.Matchers.notNullValue());
        call(rid()).header("X-Aigw-Policy", "cost").body(body("chat-default", false)).post(CHAT)
                .then().statusCode(200).header("x-aigw-provider", "fake").header("x-aigw-attempts", "1");
        assertEquals(5, calls("fakeb"));

        // after the delay (1.5 s): half-open, one trial call; a success closes it
        awaitHalfOpen("fakeb");
        stub("fakeb", ok(completion("fake-chat", 1, 1), "0.000001"));
        call(rid()).body(body("fakeb/fake-chat", false)).post(CHAT).then().statusCode(200).header("x-aigw-provider", "fakeb");
        assertEquals("CLOSED", breakerState("fakeb"));

        // open again, then the reset endpoint closes it
        stub("fakeb", providerError(502, "CONNECTION", null, "fakeb"));
        call(rid()).body(body("fakeb/fake-chat", false)).post(CHAT);
        call(rid()).body(body("fakeb/fake-chat", false)).post(CHAT);
        assertEquals("OPEN", breakerState("fakeb"));
        given().header("X-Aigw-Internal-Token", TOKEN).post("/internal/v1/breakers/fakeb/reset")
                .then().statusCode(200).body("state", equalTo("CLOSED"));
        assertEquals("CLOSED", breakerState("fakeb"));
        stub("fakeb", ok(completion("fake-chat", 1, 1), "0.000001"));
        call(rid()).body(body("fakeb/fake-chat", false)).post(CHAT).then().statusCode(200).header("x-aigw-provider", "fakeb");

        given().header("X-Aigw-Internal-Token", TOKEN).post("/internal/v1/breakers/nope/reset").then().statusCode(404);
        given().post("/internal/v1/breakers/fakeb/reset").then().statusCode(401);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("aigw_routing_breaker_transitions_total{provider=\"fakeb\",state=\"OPEN\"}"), "transition counted");
    }

    @Test
    void aFailedHalfOpenTrialReopens() {
        stub("fakeb", providerError(502, "OVERLOADED", 503, "fakeb"));
        call(rid()).body(body("fakeb/fake-chat", false)).post(CHAT);
        call(rid()).body(body("fakeb/fake-chat", false)).post(CHAT);
        assertEquals("OPEN", breakerState("fakeb"));
        awaitHalfOpen("fakeb");
        int before = calls("fakeb");
        call(rid()).body(body("fakeb/fake-chat", false)).post(CHAT).then().statusCode(502);
        assertEquals(before + 1, calls("fakeb"), "one trial call, its retry rejected");
        assertEquals("OPEN", breakerState("fakeb"));
    }

    @Test
    void nonCountingFailuresDoNotOpenTheBreaker() {
        stub("fakeb", providerError(502, "BAD_REQUEST", 400, "fakeb"));
        for (int i = 0; i < 7; i++) {
            call(rid()).body(body("fakeb/fake-chat", false)).post(CHAT).then().statusCode(400);
        }
        assertEquals("CLOSED", breakerState("fakeb"));
    }

    // ------------------------------------------------------------ metrics

    @Test
    void metricsAreExposed() {
        stub("fake", providerError(502, "UPSTREAM_5XX", 500, "fake"));
        stub("fakeb", ok(completion("fake-chat", 5, 3), "0.00001"));
        call(rid()).header("X-Aigw-Policy", "quality").body(body("chat-default", false)).post(CHAT).then().statusCode(200);
        String m = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String s : new String[]{
                "aigw_routing_requests_total{outcome=\"SUCCESS\",provider=\"fakeb\"}",
                "aigw_routing_provider_calls_total{provider=\"fake\"}",
                "aigw_routing_provider_failures_total{class=\"UPSTREAM_5XX\",provider=\"fake\"}",
                "aigw_routing_retries_total{provider=\"fake\"}",
                "aigw_routing_fallbacks_total{provider=\"fake\"}",
                "aigw_routing_breaker_state{provider=\"fake\"}",
                "aigw_routing_decisions_total{policy=\"quality\"}",
                "aigw_routing_provider_latency_seconds_bucket{provider=\"fakeb\""}) {
            assertTrue(m.contains(s), "missing " + s);
        }
    }
}
