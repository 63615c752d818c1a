package io.aigateway.admin.quotas.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.aigateway.admin.support.AdapterWireMock;
import io.aigateway.admin.support.UsageWireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin quota API against a WireMock usage-service: every route reaches the matching internal route with the
 * method, the encoded path, the body and admin-service's credential; answers come back as they are; admins only.
 */
@QuarkusTest
@QuarkusTestResource(AdapterWireMock.class)
@QuarkusTestResource(UsageWireMock.class)
class AdminQuotaApiTest {

    private static final String TOKEN = "test-internal-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String ADMIN = "/api/v1/ai/admin/quotas";
    private static final String INTERNAL = "/internal/v1/quotas";
    /** A user id with characters that are legal in a path but must be encoded when relayed. */
    private static final String USER_RAW = "alice@example.com:eu";
    private static final String USER_ENCODED = "alice%40example.com%3Aeu";
    private static final String TIER_BODY = "{\"limits\":{\"requestsPerMinute\":60,\"spendUsdPerDay\":\"5.00\"}}";
    private static final String USER_BODY = "{\"tier\":\"pro\",\"limits\":{\"tokensPerDay\":100000}}";
    private static final String RESET_BODY = "{\"windows\":[\"day\"]}";

    /** One admin route and the internal route it is relayed to; paths as sent on the wire (already encoded). */
    private record Route(String method, String adminPath, String internalPath, String body) {
    }

    private static final List<Route> ROUTES = List.of(
            new Route("GET", ADMIN + "/tiers", INTERNAL + "/tiers", null),
            new Route("GET", ADMIN + "/tiers/pro", INTERNAL + "/tiers/pro", null),
            new Route("PUT", ADMIN + "/tiers/pro", INTERNAL + "/tiers/pro", TIER_BODY),
            new Route("DELETE", ADMIN + "/tiers/pro", INTERNAL + "/tiers/pro", null),
            new Route("GET", ADMIN + "/users/" + USER_RAW, INTERNAL + "/users/" + USER_ENCODED, null),
            new Route("PUT", ADMIN + "/users/" + USER_RAW, INTERNAL + "/users/" + USER_ENCODED, USER_BODY),
            new Route("POST", ADMIN + "/users/" + USER_RAW + "/reset", INTERNAL + "/users/" + USER_ENCODED + "/reset",
                    RESET_BODY),
            new Route("GET", ADMIN + "/keys/key_abc", INTERNAL + "/keys/key_abc", null),
            new Route("PUT", ADMIN + "/keys/key_abc", INTERNAL + "/keys/key_abc", TIER_BODY),
            new Route("DELETE", ADMIN + "/keys/key_abc", INTERNAL + "/keys/key_abc", null),
            new Route("POST", ADMIN + "/keys/key_abc/reset", INTERNAL + "/keys/key_abc/reset", RESET_BODY));

    private static String adminKey;
    private static String adminKeyId;
    private static String userKey;

    @UsageWireMock.InjectUsage
    WireMockServer usage;

    private final List<String> audit = new ArrayList<>();
    private final Handler auditHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            audit.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void setUp() {
        usage.resetAll();
        if (adminKey == null) {
            Response admin = createKey("admin", List.of("admin"));
            adminKey = admin.path("key");
            adminKeyId = admin.path("keyId");
            userKey = createKey("user", List.of("user")).path("key");
        }
        Logger.getLogger(QuotaAudit.CATEGORY).addHandler(auditHandler);
    }

    @AfterEach
    void tearDown() {
        Logger.getLogger(QuotaAudit.CATEGORY).removeHandler(auditHandler);
    }

    @Test
    void everyRouteRelaysMethodEncodedPathBodyAndCredential() {
        for (Route route : ROUTES) {
            usage.resetAll();
            String answer = "{\"route\":\"" + route.method() + " " + route.internalPath() + "\",\"limits\":{\"requestsPerMinute\":60}}";
            usage.stubFor(stub(route).willReturn(json(200, answer)));
            String rid = "rid-" + RUN + "-" + route.method();

            send(route, adminKey).header("X-Request-Id", rid)
                    .request(route.method(), route.adminPath())
                    .then().statusCode(200)
                    .contentType(ContentType.JSON)
                    .body(equalTo(answer));

            RequestPatternBuilder expected = RequestPatternBuilder
                    .newRequestPattern(RequestMethod.fromString(route.method()), urlEqualTo(route.internalPath()))
                    .withHeader("X-Aigw-Internal-Token", WireMock.equalTo(TOKEN))
                    .withHeader("X-Request-Id", WireMock.equalTo(rid));
            if (route.body() != null) {
                expected.withRequestBody(WireMock.equalTo(route.body()));
            }
            usage.verify(1, expected);
            assertEquals(1, usage.getAllServeEvents().size(), route + " made exactly one call");
            assertFalse(usage.getAllServeEvents().get(0).getRequest().containsHeader("Authorization"),
                    "the admin's key is not passed on");
        }
    }

    @Test
    void changesAreAuditedWithTheAdminKeyIdAndNoSecret() throws Exception {
        long since = lastAuditId(); // the other tests of this class make changes with the same admin key
        for (Route route : ROUTES) {
            usage.stubFor(stub(route).willReturn(json(200, "{}")));
        }
        usage.stubFor(request("PUT", urlEqualTo(INTERNAL + "/tiers/gold")).willReturn(json(404, envelope("tier"))));
        for (Route route : ROUTES) {
            send(route, adminKey).request(route.method(), route.adminPath()).then().statusCode(200);
        }
        send(new Route("PUT", "", "", TIER_BODY), adminKey).put(ADMIN + "/tiers/gold").then().statusCode(404);

        List<String> lines = List.copyOf(audit);
        assertEquals(8, lines.size(), "one line per change (PUT, DELETE, reset), none per read: " + lines);
        for (String line : lines) {
            assertTrue(line.contains("admin key " + adminKeyId), line);
            assertFalse(line.contains(adminKey), "never the key itself: " + line);
        }
        assertTrue(lines.contains("Quota change by admin key " + adminKeyId + " (user " + user("admin")
                + "): PUT tier pro " + TIER_BODY + " -> 200"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("PUT user " + USER_RAW + " " + USER_BODY + " -> 200")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("RESET user " + USER_RAW + " " + RESET_BODY + " -> 200")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("DELETE key key_abc -> 200")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("PUT tier gold " + TIER_BODY + " -> 404")), lines.toString());

        // and the audit log (GET /api/v1/ai/admin/audit): one row per change, none per read, oldest first here
        Response log = given().auth().oauth2(adminKey).get("/api/v1/ai/admin/audit?actor=" + adminKeyId + "&limit=1000");
        log.then().statusCode(200);
        assertFalse(log.asString().contains(adminKey), "never the key itself");
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode row : MAPPER.readTree(log.asString()).path("rows")) {
            if (row.path("id").asLong() > since) {
                rows.add(0, row);
            }
        }
        List<List<Object>> expected = List.of(
                List.of("quota.tier.put", "tier:pro", TIER_BODY, 200),
                List.of("quota.tier.delete", "tier:pro", "null", 200),
                List.of("quota.user.put", "user:" + USER_RAW, USER_BODY, 200),
                List.of("quota.user.reset", "user:" + USER_RAW, RESET_BODY, 200),
                List.of("quota.key.put", "key:key_abc", TIER_BODY, 200),
                List.of("quota.key.delete", "key:key_abc", "null", 200),
                List.of("quota.key.reset", "key:key_abc", RESET_BODY, 200),
                List.of("quota.tier.put", "tier:gold", TIER_BODY, 404));
        assertEquals(expected.size(), rows.size(), "one audit row per change, none per read: " + rows);
        for (int i = 0; i < expected.size(); i++) {
            List<Object> e = expected.get(i);
            JsonNode row = rows.get(i);
            assertEquals(e.get(0), row.path("action").asText(), row.toString());
            assertEquals(e.get(1), row.path("target").asText(), row.toString());
            assertEquals(MAPPER.readTree((String) e.get(2)), row.path("after"), row.toString());
            assertEquals(e.get(3), row.path("status").asInt(), row.toString());
            assertEquals(adminKeyId, row.path("actor").asText(), row.toString());
            assertEquals(user("admin"), row.path("actorUser").asText(), row.toString());
            assertTrue(row.path("before").isNull(), row.toString());
        }
    }

    /** The newest audit row of this class's admin key, 0 when none. */
    private static long lastAuditId() {
        Response r = given().auth().oauth2(adminKey).get("/api/v1/ai/admin/audit?actor=" + adminKeyId + "&limit=1");
        r.then().statusCode(200);
        Number id = r.path("rows[0].id");
        return id == null ? 0 : id.longValue();
    }

    @Test
    void idsAreEncodedSoThatTheyStayOneSegment() {
        // "a b?c#dé" arrives percent-encoded, is decoded by JAX-RS and is encoded again for usage-service.
        String encoded = "a%20b%3Fc%23d%C3%A9";
        usage.stubFor(request("GET", urlEqualTo(INTERNAL + "/users/" + encoded)).willReturn(json(200, "{\"userId\":\"x\"}")));
        given().urlEncodingEnabled(false).auth().oauth2(adminKey)
                .get(ADMIN + "/users/" + encoded)
                .then().statusCode(200).body("userId", equalTo("x"));
        usage.verify(1, RequestPatternBuilder.newRequestPattern(RequestMethod.GET, urlEqualTo(INTERNAL + "/users/" + encoded)));
    }

    @Test
    void errorEnvelopesOfUsageServiceAreRelayedUnchanged() {
        int[] statuses = {400, 404, 409};
        String[] params = {"limits.requestsPerMinute", "tier", null};
        for (int i = 0; i < statuses.length; i++) {
            usage.resetAll();
            String body = envelope(params[i]);
            usage.stubFor(WireMock.any(anyUrl()).willReturn(json(statuses[i], body)));
            for (Route route : ROUTES) {
                send(route, adminKey).request(route.method(), route.adminPath())
                        .then().statusCode(statuses[i])
                        .contentType(ContentType.JSON)
                        .body(equalTo(body));
            }
        }
        // a 503 envelope of usage-service (its own store down) keeps its retry-after
        usage.resetAll();
        usage.stubFor(WireMock.any(anyUrl()).willReturn(json(503, envelope(null)).withHeader("Retry-After", "7")));
        given().auth().oauth2(adminKey).get(ADMIN + "/tiers")
                .then().statusCode(503).header("retry-after", "7").body(equalTo(envelope(null)));
    }

    @Test
    void deleteWithoutBodyIsRelayedAs204() {
        usage.stubFor(request("DELETE", urlEqualTo(INTERNAL + "/keys/key_abc")).willReturn(aResponse().withStatus(204)));
        given().auth().oauth2(adminKey).delete(ADMIN + "/keys/key_abc")
                .then().statusCode(204).body(emptyString());
    }

    @Test
    void resetWithoutBodyNeedsNoContentType() {
        usage.stubFor(request("POST", urlEqualTo(INTERNAL + "/users/bob/reset")).willReturn(json(200, "{\"reset\":true}")));
        given().auth().oauth2(adminKey).post(ADMIN + "/users/bob/reset")
                .then().statusCode(200).body("reset", equalTo(true));
        assertEquals("", usage.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }

    @Test
    void onlyAdminsGetIn() {
        usage.stubFor(WireMock.any(anyUrl()).willReturn(json(200, "{}")));
        for (Route route : ROUTES) {
            send(route, null).request(route.method(), route.adminPath())
                    .then().statusCode(401)
                    .body("error.code", equalTo("invalid_api_key"));
            send(route, userKey).request(route.method(), route.adminPath())
                    .then().statusCode(403)
                    .body("error.type", equalTo("permission_error"))
                    .body("error.code", equalTo("forbidden"));
            // a service credential is not an admin's key
            send(route, null).header("X-Aigw-Internal-Token", TOKEN).request(route.method(), route.adminPath())
                    .then().statusCode(403);
        }
        usage.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void usageServiceDownTimedOutOrBroken() {
        usage.stubFor(WireMock.any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        for (Route route : ROUTES) {
            send(route, adminKey).request(route.method(), route.adminPath())
                    .then().statusCode(503)
                    .header("retry-after", notNullValue())
                    .body("error.type", equalTo("api_error"))
                    .body("error.code", equalTo("upstream_unavailable"))
                    .body(not(containsString("Exception")));
        }

        usage.resetAll();
        usage.stubFor(WireMock.any(anyUrl()).willReturn(json(200, "{}").withFixedDelay(4000)));
        given().auth().oauth2(adminKey).get(ADMIN + "/tiers")
                .then().statusCode(504)
                .body("error.code", equalTo("upstream_timeout"));

        usage.resetAll();
        usage.stubFor(WireMock.any(anyUrl()).willReturn(aResponse().withStatus(500).withBody("<html>boom</html>")));
        given().auth().oauth2(adminKey).get(ADMIN + "/tiers")
                .then().statusCode(502)
                .body("error.code", equalTo("upstream_error"))
                .body(not(containsString("boom")));

        // usage-service refusing admin-service's credential is our deployment error, not the admin's bad key
        usage.resetAll();
        usage.stubFor(WireMock.any(anyUrl()).willReturn(json(401, envelope(null))));
        given().auth().oauth2(adminKey).get(ADMIN + "/tiers")
                .then().statusCode(502)
                .body("error.code", equalTo("upstream_error"));
    }

    @Test
    void badBodiesAndIdsAreRefusedBeforeRelaying() {
        usage.stubFor(WireMock.any(anyUrl()).willReturn(json(200, "{}")));
        for (Route route : ROUTES) {
            if (route.body() == null) {
                continue;
            }
            given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"limits\": ")
                    .request(route.method(), route.adminPath())
                    .then().statusCode(400)
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.code", equalTo("invalid_json"))
                    .body(not(containsString("Exception")));
            given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("[1,2]")
                    .request(route.method(), route.adminPath())
                    .then().statusCode(400)
                    .body("error.message", containsString("JSON object"));
        }
        given().auth().oauth2(adminKey).contentType(ContentType.JSON)
                .put(ADMIN + "/tiers/pro")
                .then().statusCode(400).body("error.message", containsString("required"));
        given().auth().oauth2(adminKey).contentType(ContentType.TEXT).body(TIER_BODY)
                .put(ADMIN + "/tiers/pro")
                .then().statusCode(415);

        given().auth().oauth2(adminKey).get(ADMIN + "/users/" + "u".repeat(129))
                .then().statusCode(400).body("error.param", equalTo("userId"));
        given().urlEncodingEnabled(false).auth().oauth2(adminKey).get(ADMIN + "/keys/a%C2%85b")
                .then().statusCode(400).body("error.param", equalTo("keyId"))
                .body("error.message", containsString("control"));
        given().urlEncodingEnabled(false).auth().oauth2(adminKey).contentType(ContentType.JSON).body(TIER_BODY)
                .put(ADMIN + "/tiers/%20%20")
                .then().statusCode(400).body("error.param", equalTo("tier"));
        usage.verify(0, anyRequestedFor(anyUrl()));
    }

    // ---------------------------------------------------------------- helpers

    private static MappingBuilder stub(Route route) {
        return request(route.method(), urlEqualTo(route.internalPath()));
    }

    private static RequestSpecification send(Route route, String key) {
        RequestSpecification spec = given().urlEncodingEnabled(false);
        if (key != null) {
            spec.auth().oauth2(key);
        }
        if (route.body() != null) {
            spec.contentType(ContentType.JSON).body(route.body());
        }
        return spec;
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String envelope(String param) {
        return "{\"error\":{\"message\":\"Refused by usage-service " + RUN + ".\",\"type\":\"invalid_request_error\","
                + "\"param\":" + (param == null ? "null" : "\"" + param + "\"") + ",\"code\":\"quota_conflict\"}}";
    }

    private static String user(String what) {
        return "t-" + RUN + "-" + what;
    }

    private static Response createKey(String what, List<String> roles) {
        Response created = given().header("X-Aigw-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("userId", user(what), "roles", roles))
                .when().post("/internal/v1/keys");
        created.then().statusCode(201);
        return created;
    }
}
