package io.aigateway.admin.analytics;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.aigateway.admin.support.AdapterWireMock;
import io.aigateway.admin.support.RoutingWireMock;
import io.aigateway.admin.support.UsageWireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relays to usage-service (analytics, costs and the CSV export, metrics, health history, alerts) and to
 * routing-service (cache, breakers), and the admin role on every new route.
 */
@QuarkusTest
@QuarkusTestResource(AdapterWireMock.class)
@QuarkusTestResource(UsageWireMock.class)
@QuarkusTestResource(RoutingWireMock.class)
class AdminRelayApiTest {

    private static final String TOKEN = "test-internal-token";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ADMIN = "/api/v1/ai/admin";

    private static String adminKey;
    private static String adminKeyId;
    private static String userKey;

    @UsageWireMock.InjectUsage
    WireMockServer usage;
    @RoutingWireMock.InjectRouting
    WireMockServer routing;
    @AdapterWireMock.InjectAdapter
    WireMockServer adapter;

    @BeforeEach
    void setUp() {
        usage.resetAll();
        routing.resetAll();
        if (adminKey == null) {
            Response admin = createKey("admin", List.of("admin"));
            adminKey = admin.path("key");
            adminKeyId = admin.path("keyId");
            userKey = createKey("user", List.of("user")).path("key");
        }
    }

    @Test
    void usageQueryIsRelayedWithAllowedParamsEncoded() {
        String answer = "{\"from\":\"2026-12-01T00:00:00Z\",\"rows\":[{\"provider\":\"fake\",\"requests\":3}],\"nextCursor\":null}";
        usage.stubFor(get(urlPathEqualTo("/internal/v1/usage/analytics")).willReturn(json(200, answer)));
        given().auth().oauth2(adminKey).header("X-Request-Id", "rid-" + RUN)
                .queryParam("from", "2026-12-01").queryParam("groupBy", "provider").queryParam("groupBy", "day")
                .queryParam("userId", "a b&c=d")
                .get(ADMIN + "/usage")
                .then().statusCode(200).body(equalTo(answer));
        usage.verify(getRequestedFor(urlEqualTo("/internal/v1/usage/analytics?from=2026-12-01&groupBy=provider&groupBy=day"
                + "&userId=a%20b%26c%3Dd"))
                .withHeader("X-Aigw-Internal-Token", WireMock.equalTo(TOKEN))
                .withHeader("X-Request-Id", WireMock.equalTo("rid-" + RUN)));

        given().auth().oauth2(adminKey).queryParam("secret", "x").get(ADMIN + "/usage")
                .then().statusCode(400).body("error.param", equalTo("secret"));
        // usage-service's own 400 (a bad date) comes back as it is
        String envelope = "{\"error\":{\"message\":\"bad from\",\"type\":\"invalid_request_error\",\"param\":\"from\",\"code\":\"invalid_request\"}}";
        usage.stubFor(get(urlPathEqualTo("/internal/v1/usage/analytics")).willReturn(json(400, envelope)));
        given().auth().oauth2(adminKey).queryParam("from", "nope").get(ADMIN + "/usage")
                .then().statusCode(400).body(equalTo(envelope));
    }

    @Test
    void oneRequestsRecords() {
        usage.stubFor(get(urlEqualTo("/internal/v1/usage/requests/req%3A1")).willReturn(json(200, "{\"requestId\":\"req:1\",\"records\":[]}")));
        given().auth().oauth2(adminKey).get(ADMIN + "/usage/requests/req:1")
                .then().statusCode(200).body("requestId", equalTo("req:1"));
        usage.stubFor(get(urlEqualTo("/internal/v1/usage/requests/none")).willReturn(json(404,
                "{\"error\":{\"message\":\"none\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"not_found\"}}")));
        given().auth().oauth2(adminKey).get(ADMIN + "/usage/requests/none").then().statusCode(404);
    }

    @Test
    void costsJsonAndCsvStreamedThroughUnchanged() {
        String json = "{\"totalUsd\":\"1.5\",\"rows\":[],\"projection\":{\"method\":\"m\"}}";
        usage.stubFor(get(urlPathEqualTo("/internal/v1/usage/costs")).withHeader("Accept", WireMock.containing("json"))
                .willReturn(json(200, json)));
        given().auth().oauth2(adminKey).queryParam("groupBy", "provider").get(ADMIN + "/costs")
                .then().statusCode(200).contentType(ContentType.JSON).body(equalTo(json));
        // a client that asks for JSON by name gets it too (not 406)
        given().auth().oauth2(adminKey).accept(ContentType.JSON).queryParam("groupBy", "provider").get(ADMIN + "/costs")
                .then().statusCode(200).contentType(ContentType.JSON).body(equalTo(json));

        StringBuilder csv = new StringBuilder("provider,day,requests,promptTokens,completionTokens,costUsd,costSavedUsd\r\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append("fake,2026-12-0").append(i % 9 + 1).append(",").append(i).append(",1,2,\"0.00").append(i).append("\",0\r\n");
        }
        usage.stubFor(get(urlPathEqualTo("/internal/v1/usage/costs")).withHeader("Accept", WireMock.equalTo("text/csv"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/csv; charset=utf-8")
                        .withHeader("Content-Disposition", "attachment; filename=\"costs-2026-12.csv\"")
                        .withBody(csv.toString()).withChunkedDribbleDelay(20, 200)));
        for (boolean viaAccept : new boolean[] {true, false}) {
            var req = given().auth().oauth2(adminKey).queryParam("groupBy", "provider").queryParam("groupBy", "day");
            req = viaAccept ? req.accept("text/csv") : req.queryParam("format", "csv");
            Response r = req.get(ADMIN + "/costs");
            r.then().statusCode(200)
                    .header("Content-Type", containsString("text/csv"))
                    .header("Content-Disposition", equalTo("attachment; filename=\"costs-2026-12.csv\""));
            assertEquals(csv.toString(), r.asString(), "the CSV arrives byte for byte");
        }
        usage.verify(getRequestedFor(urlEqualTo("/internal/v1/usage/costs?format=csv&groupBy=provider&groupBy=day")));

        // usage-service down: an envelope, not a broken stream
        usage.resetAll();
        usage.stubFor(get(anyUrl()).willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        given().auth().oauth2(adminKey).queryParam("format", "csv").get(ADMIN + "/costs")
                .then().statusCode(503).body("error.code", equalTo("upstream_unavailable"));
        given().auth().oauth2(adminKey).queryParam("format", "xml").get(ADMIN + "/costs")
                .then().statusCode(400).body("error.param", equalTo("format"));
    }

    @Test
    void metricsCombineUsageBreakersAndCacheAndDegrade() {
        usage.stubFor(get(urlEqualTo("/internal/v1/usage/metrics?window=15m")).willReturn(json(200,
                "{\"window\":\"15m\",\"requests\":7,\"errorRate\":0.1}")));
        routing.stubFor(get(urlEqualTo("/internal/v1/breakers")).willReturn(json(200,
                "{\"breakers\":[{\"provider\":\"fake\",\"state\":\"OPEN\"}]}")));
        routing.stubFor(get(urlEqualTo("/internal/v1/cache/stats")).willReturn(json(200,
                "{\"redis\":\"UP\",\"instance\":{\"hitRate\":0.1},\"shared\":{\"hitRate\":0.25}}")));
        given().auth().oauth2(adminKey).get(ADMIN + "/metrics?window=15m")
                .then().statusCode(200)
                .body("window", equalTo("15m"))
                .body("usage.requests", equalTo(7))
                .body("breakers[0].state", equalTo("OPEN"))
                .body("cache.hitRate", equalTo(0.25f))
                .body("notes.size()", equalTo(0));
        routing.resetAll();
        given().auth().oauth2(adminKey).get(ADMIN + "/metrics?window=15m")
                .then().statusCode(200)
                .body("usage.requests", equalTo(7))
                .body("breakers", nullValue())
                .body("cache", nullValue())
                .body("notes.size()", equalTo(2));
        given().auth().oauth2(adminKey).get(ADMIN + "/metrics?window=2d")
                .then().statusCode(400).body("error.param", equalTo("window"));
    }

    @Test
    void healthHistoryAlertsCacheAndBreakersAreRelayed() {
        usage.stubFor(get(urlEqualTo("/internal/v1/health/history?limit=5&provider=fake")).willReturn(json(200, "{\"rows\":[],\"nextCursor\":null}")));
        usage.stubFor(get(urlEqualTo("/internal/v1/alerts?type=provider_unhealthy")).willReturn(json(200, "{\"rows\":[{\"alertId\":\"a1\"}],\"nextCursor\":null}")));
        routing.stubFor(get(urlEqualTo("/internal/v1/cache/stats")).willReturn(json(200, "{\"enabled\":true}")));
        routing.stubFor(get(urlEqualTo("/internal/v1/breakers")).willReturn(json(200, "{\"breakers\":[]}")));
        given().auth().oauth2(adminKey).get(ADMIN + "/health/history?provider=fake&limit=5").then().statusCode(200).body("rows.size()", equalTo(0));
        given().auth().oauth2(adminKey).get(ADMIN + "/alerts?type=provider_unhealthy").then().statusCode(200).body("rows[0].alertId", equalTo("a1"));
        given().auth().oauth2(adminKey).get(ADMIN + "/alerts?provider=fake").then().statusCode(400).body("error.param", equalTo("provider"));
        given().auth().oauth2(adminKey).get(ADMIN + "/cache/stats").then().statusCode(200).body("enabled", equalTo(true));
        given().auth().oauth2(adminKey).get(ADMIN + "/breakers").then().statusCode(200).body("breakers.size()", equalTo(0));
        // routing's refusal of a bad invalidation comes back as it is
        routing.stubFor(WireMock.post(urlEqualTo("/internal/v1/cache/invalidate")).willReturn(json(400,
                "{\"error\":{\"message\":\"Expected exactly one\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_request\"}}")));
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"key\":\"a\",\"all\":true}")
                .post(ADMIN + "/cache/invalidate").then().statusCode(400).body("error.message", containsString("exactly one"));
        // routing down
        routing.resetAll();
        routing.stubFor(get(anyUrl()).willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        given().auth().oauth2(adminKey).get(ADMIN + "/breakers").then().statusCode(503).body("error.code", equalTo("upstream_unavailable"));
    }

    @Test
    void prefixInvalidationIsRelayedAsItIsAndAudited() {
        String prefix = RUN; // 8 lowercase hex
        String body = "{\"prefix\":\"" + prefix + "\"}";
        routing.stubFor(WireMock.post(urlEqualTo("/internal/v1/cache/invalidate")).withRequestBody(WireMock.equalToJson(body))
                .willReturn(json(200, "{\"by\":\"prefix\",\"value\":\"" + prefix + "\",\"removed\":2}")));
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body(body).post(ADMIN + "/cache/invalidate")
                .then().statusCode(200).body("by", equalTo("prefix")).body("value", equalTo(prefix)).body("removed", equalTo(2));
        routing.verify(1, WireMock.postRequestedFor(urlEqualTo("/internal/v1/cache/invalidate"))
                .withHeader("X-Aigw-Internal-Token", WireMock.equalTo(TOKEN))
                .withRequestBody(WireMock.equalToJson(body)));
        // routing's refusal of a bad prefix comes back as it is, and is audited with its status
        String bad = "{\"prefix\":\"XY" + RUN + "\"}";
        String envelope = "{\"error\":{\"message\":\"'prefix' must be 1 to 64 lowercase hex characters\","
                + "\"type\":\"invalid_request_error\",\"param\":\"prefix\",\"code\":\"invalid_request\"}}";
        routing.stubFor(WireMock.post(urlEqualTo("/internal/v1/cache/invalidate")).withRequestBody(WireMock.equalToJson(bad))
                .willReturn(json(400, envelope)));
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body(bad).post(ADMIN + "/cache/invalidate")
                .then().statusCode(400).body("error.param", equalTo("prefix"));

        Response audit = given().auth().oauth2(adminKey)
                .get(ADMIN + "/audit?action=cache.invalidate&target=cache&actor=" + adminKeyId + "&limit=1000");
        audit.then().statusCode(200);
        List<Map<String, Object>> rows = audit.path("rows");
        Map<String, Object> ok = rows.stream().filter(r -> r.get("after") instanceof Map<?, ?> a && prefix.equals(a.get("prefix")))
                .findFirst().orElseThrow(() -> new AssertionError("no audit row of prefix " + prefix + " in " + rows));
        assertEquals(200, ok.get("status"));
        assertEquals("cache", ok.get("target"));
        assertEquals(adminKeyId, ok.get("actor"));
        assertTrue(rows.stream().anyMatch(r -> r.get("after") instanceof Map<?, ?> a && ("XY" + RUN).equals(a.get("prefix"))
                && Integer.valueOf(400).equals(r.get("status"))), "the refused invalidation is audited with 400: " + rows);
        assertFalse(audit.asString().contains(adminKey), "never the admin's key");
    }

    @ParameterizedTest
    @CsvSource({
            "GET, /providers", "GET, /providers/fake", "PATCH, /providers/fake", "POST, /providers/fake/toggle",
            "GET, /groups", "GET, /groups/g", "PUT, /groups/g", "DELETE, /groups/g",
            "GET, /usage", "GET, /usage/requests/r1", "GET, /costs", "GET, /metrics", "GET, /health/history",
            "GET, /alerts", "GET, /cache/stats", "POST, /cache/invalidate", "POST, /cache/warm", "GET, /breakers",
            "POST, /breakers/fake/reset", "GET, /audit"})
    void everyNewRouteNeedsTheAdminRole(String method, String path) {
        usage.stubFor(WireMock.any(anyUrl()).willReturn(json(200, "{}")));
        routing.stubFor(WireMock.any(anyUrl()).willReturn(json(200, "{}")));
        given().contentType(ContentType.JSON).body("{}").request(method, ADMIN + path)
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().auth().oauth2(userKey).contentType(ContentType.JSON).body("{}").request(method, ADMIN + path)
                .then().statusCode(403).body("error.type", equalTo("permission_error"));
        usage.verify(0, anyRequestedFor(anyUrl()));
        routing.verify(0, anyRequestedFor(anyUrl()));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static Response createKey(String what, List<String> roles) {
        Response created = given().header("X-Aigw-Internal-Token", "test-token-ops-00000").contentType(ContentType.JSON)
                .body(Map.of("userId", "t-" + RUN + "-" + what, "roles", roles))
                .when().post("/internal/v1/keys");
        created.then().statusCode(201);
        return created;
    }
}
