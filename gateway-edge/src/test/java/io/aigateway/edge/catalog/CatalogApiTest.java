package io.aigateway.edge.catalog;

import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/v1/ai/models[/{id}]} with WireMock standing in for routing-service (catalog) and usage-service
 * (performance, on the admin stand-in). Keyed callers are not limited; the anonymous-limit test runs last.
 */
@QuarkusTest
@QuarkusTestResource(WireMockResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogApiTest {

    static final String CATALOG = """
            {"models":[
             {"id":"fake/fake-chat","provider":"fake","model":"fake-chat","displayName":"Fake chat","contextWindow":8192,
              "capabilities":{"streaming":true,"tools":false,"json":true,"vision":false},
              "pricing":{"promptPer1k":"0.0015","completionPer1k":"0.002","currency":"USD"},"enabled":true,"priority":0,
              "qualityScore":0.6,"availability":{"status":"available","health":"healthy","breaker":"CLOSED"}},
             {"id":"fake/fake-large","provider":"fake","model":"fake-large","displayName":"Fake large","contextWindow":32768,
              "capabilities":{"streaming":true,"tools":true,"json":true,"vision":true},
              "pricing":{"promptPer1k":"0.005","completionPer1k":"0.015","currency":"USD"},"enabled":true,"priority":0,
              "qualityScore":0.9,"availability":{"status":"available","health":"healthy","breaker":"CLOSED"}},
             {"id":"fakeb/fake-chat","provider":"fakeb","model":"fake-chat","displayName":"Fake chat","contextWindow":8192,
              "capabilities":{"streaming":true,"tools":false,"json":true,"vision":false},
              "pricing":{"promptPer1k":"0.001","completionPer1k":"0.002","currency":"USD"},"enabled":true,"priority":0,
              "qualityScore":0.5,"availability":{"status":"unavailable","health":"healthy","breaker":"OPEN"}}],
             "groups":[{"name":"chat-default","members":["fake/fake-chat","fakeb/fake-chat"]}]}""";

    static final String PERFORMANCE = """
            {"window":"1h","from":"2026-01-01T00:00:00Z","to":"2026-01-01T01:00:00Z","models":[
             {"provider":"fake","model":"fake-chat","requests":10,"successRate":0.9,"avgLatencyMs":120,"p95LatencyMs":300,"ttftMsP50":40}]}""";

    static final Keys.TestKey KEY = Keys.atAdmin("catalog-user", "user");

    @Inject
    CatalogSources sources;

    @BeforeEach
    void stubs() {
        stubCatalog(200, CATALOG);
        stubPerformance(200, PERFORMANCE);
        sources.invalidate();
        WireMockResource.routing().resetRequests();
    }

    @AfterEach
    void reset() {
        sources.invalidate();
    }

    static void stubCatalog(int status, String body) {
        WireMockResource.routing().stubFor(get(urlEqualTo("/internal/v1/models/catalog"))
                .withHeader("X-Aigw-Internal-Token", equalTo("test-internal-token"))
                .willReturn(aResponse().withStatus(status).withHeader("content-type", "application/json").withBody(body)));
    }

    static void stubPerformance(int status, String body) {
        WireMockResource.admin().stubFor(get(urlPathEqualTo("/internal/v1/usage/performance"))
                .withQueryParam("window", equalTo("1h"))
                .withHeader("X-Aigw-Internal-Token", equalTo("test-internal-token"))
                .willReturn(aResponse().withStatus(status).withHeader("content-type", "application/json").withBody(body)));
    }

    @Test
    @Order(1)
    void withoutCredentialsEveryFieldOfEveryModel() {
        Response r = given().get("/api/v1/ai/models");
        r.then().statusCode(200)
                .header("etag", notNullValue())
                .header("cache-control", org.hamcrest.Matchers.equalTo("public, max-age=30"))
                .body("groups[0].id", org.hamcrest.Matchers.equalTo("chat-default"))
                .body("groups[0].members", org.hamcrest.Matchers.equalTo(List.of("fake/fake-chat", "fakeb/fake-chat")))
                .body("groups[0].availability.status", org.hamcrest.Matchers.equalTo("available"));
        List<java.util.Map<String, Object>> models = r.jsonPath().getList("models");
        assertEquals(3, models.size());
        for (java.util.Map<String, Object> m : models) {
            for (String field : List.of("id", "provider", "displayName", "description", "contextWindow", "capabilities",
                    "pricing", "performance", "availability", "recommended")) {
                assertTrue(m.containsKey(field), field + " missing in " + m);
            }
        }
        r.then()
                .body("models[0].id", org.hamcrest.Matchers.equalTo("fake/fake-chat"))
                .body("models[0].capabilities.vision", org.hamcrest.Matchers.equalTo(false))
                .body("models[0].pricing.promptPer1k", org.hamcrest.Matchers.equalTo("0.0015"))
                .body("models[0].pricing.currency", org.hamcrest.Matchers.equalTo("USD"))
                .body("models[0].performance.p95LatencyMs", org.hamcrest.Matchers.equalTo(300))
                .body("models[0].performance.ttftMsP50", org.hamcrest.Matchers.equalTo(40))
                .body("models[0].performance.successRate", org.hamcrest.Matchers.equalTo(0.9f))
                .body("models[0].performance.requests", org.hamcrest.Matchers.equalTo(10))
                .body("models[0].performance.window", org.hamcrest.Matchers.equalTo("1h"))
                .body("models[0].availability.status", org.hamcrest.Matchers.equalTo("available"))
                // fake/fake-chat: best quality per cost, and the only one with traffic (dictionary: lowest p95)
                .body("models[0].recommended.value", org.hamcrest.Matchers.equalTo(true))
                .body("models[0].recommended.contexts", org.hamcrest.Matchers.equalTo(List.of("default", "dictionary")))
                .body("models[1].recommended.contexts", org.hamcrest.Matchers.equalTo(List.of("writing")))
                .body("models[1].capabilities.vision", org.hamcrest.Matchers.equalTo(true))
                .body("models[1].performance.requests", org.hamcrest.Matchers.equalTo(0))
                .body("models[1].performance.p95LatencyMs", nullValue())
                .body("models[2].availability.status", org.hamcrest.Matchers.equalTo("unavailable"))
                .body("models[2].availability.breaker", org.hamcrest.Matchers.equalTo("OPEN"))
                .body("models[2].recommended.value", org.hamcrest.Matchers.equalTo(false))
                .body("models[2].recommended.contexts", org.hamcrest.Matchers.equalTo(List.of()));
    }

    @Test
    @Order(2)
    void ifNoneMatchIs304AndTheTagFollowsTheContent() {
        String etag = given().header("Authorization", KEY.bearer()).get("/api/v1/ai/models").then().statusCode(200)
                .extract().header("etag");
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
        given().header("Authorization", KEY.bearer()).header("If-None-Match", etag).get("/api/v1/ai/models")
                .then().statusCode(304).header("etag", etag).header("cache-control", "public, max-age=30");
        // reused within the TTL: one call to each service for both requests
        WireMockResource.routing().verify(1, getRequestedFor(urlEqualTo("/internal/v1/models/catalog")));

        stubCatalog(200, CATALOG.replaceFirst("Fake chat", "Fake chat v2"));
        sources.invalidate();
        String changed = given().header("Authorization", KEY.bearer()).header("If-None-Match", etag)
                .get("/api/v1/ai/models").then().statusCode(200).extract().header("etag");
        assertNotEquals(etag, changed);
    }

    @Test
    @Order(3)
    void oneModelOrGroupByIdAndUnknownIs404() {
        given().header("Authorization", KEY.bearer()).get("/api/v1/ai/models/fake/fake-large").then().statusCode(200)
                .header("etag", notNullValue())
                .body("id", org.hamcrest.Matchers.equalTo("fake/fake-large"))
                .body("contextWindow", org.hamcrest.Matchers.equalTo(32768));
        given().header("Authorization", KEY.bearer()).get("/api/v1/ai/models/chat-default").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.equalTo("chat-default"))
                .body("models.id", hasItem("fakeb/fake-chat"));
        given().header("Authorization", KEY.bearer()).get("/api/v1/ai/models/nope/nothing").then().statusCode(404)
                .body("error.code", notNullValue()).header("x-request-id", notNullValue());
    }

    @Test
    @Order(4)
    void usageDownLeavesPerformanceNullRoutingDownIs503() {
        stubPerformance(500, "{}");
        given().header("Authorization", KEY.bearer()).get("/api/v1/ai/models").then().statusCode(200)
                .body("models[0].id", org.hamcrest.Matchers.equalTo("fake/fake-chat"))
                .body("models[0].performance", nullValue())
                .body("models[0].availability.status", org.hamcrest.Matchers.equalTo("available"));
        stubCatalog(503, "{\"error\":{\"message\":\"not loaded\"}}");
        sources.invalidate();
        given().header("Authorization", KEY.bearer()).get("/api/v1/ai/models").then().statusCode(503)
                .header("retry-after", notNullValue())
                .body("error.code", org.hamcrest.Matchers.equalTo("service_unavailable"));
    }

    @Test
    @Order(5)
    void anInvalidCredentialIs401NotAnonymous() {
        given().header("Authorization", "Bearer aigw_not-a-real-key-0000000000").get("/api/v1/ai/models")
                .then().statusCode(401).body("error.type", org.hamcrest.Matchers.equalTo("invalid_request_error"));
        given().post("/api/v1/ai/models").then().statusCode(405).header("allow", "GET");
    }

    @Test
    @Order(100)
    void anonymousCallersAreLimitedPerAddressKeyedCallersAreNot() {
        int status = 200;
        Response last = null;
        for (int i = 0; i < 130 && status == 200; i++) {
            last = given().get("/api/v1/ai/models");
            status = last.statusCode();
        }
        assertEquals(429, status);
        long retryAfter = Long.parseLong(last.header("retry-after"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "retry-after " + retryAfter);
        last.then().body("error.code", org.hamcrest.Matchers.equalTo("rate_limit_exceeded"));
        given().header("Authorization", KEY.bearer()).get("/api/v1/ai/models").then().statusCode(200);
    }
}
