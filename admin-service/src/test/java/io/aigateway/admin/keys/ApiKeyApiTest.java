package io.aigateway.admin.keys;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import io.agroal.api.AgroalDataSource;
import io.aigateway.admin.keys.service.ApiKeyService;
import io.aigateway.admin.keys.service.KeyMirror;
import io.aigateway.admin.support.AdapterWireMock;
import io.aigateway.contracts.internal.ApiKeyRecord;
import io.aigateway.contracts.internal.KeyHashing;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(AdapterWireMock.class)
class ApiKeyApiTest {

    private static final String TOKEN = "test-internal-token";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String PROVIDERS = """
            [{"id":"fake","kind":"openai","displayName":"Fake","enabled":true,"healthy":true,
              "models":[{"id":"fake-chat","displayName":"Fake chat","contextWindow":8192,
                         "promptPricePer1k":0.0015,"completionPricePer1k":0.002,"qualityScore":0.6,
                         "capabilities":{"streaming":true,"tools":false,"images":false,"json":true}}]}]""";

    @AdapterWireMock.InjectAdapter
    WireMockServer adapter;

    @Inject
    RedisDataSource redis;

    @Inject
    AgroalDataSource db;

    @Inject
    ObjectMapper mapper;

    @Inject
    ApiKeyService keys;

    @Inject
    KeyMirror mirror;

    @BeforeEach
    void stubAdapter() {
        adapter.resetAll();
        adapter.stubFor(get(urlEqualTo("/internal/v1/providers"))
                .withHeader("X-Aigw-Internal-Token", WireMock.equalTo(TOKEN))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(PROVIDERS)));
    }

    // ---------------------------------------------------------------- internal API

    @Test
    void bootstrapCreateLookupAndRedisMirror() throws Exception {
        String user = user("boot");
        Response created = createInternal(Map.of("userId", user, "roles", List.of("user"), "name", "ci key"));
        created.then().statusCode(201)
                .body("key", startsWith("aigw_"))
                .body("keyId", startsWith("key_"))
                .body("userId", equalTo(user))
                .body("roles", equalTo(List.of("user")))
                .body("name", equalTo("ci key"))
                .body("createdAt", notNullValue())
                .body("expiresAt", nullValue());
        String key = created.path("key");
        String keyId = created.path("keyId");
        String hash = KeyHashing.sha256Hex(key);

        given().header("X-Aigw-Internal-Token", TOKEN)
                .when().get("/internal/v1/keys/" + hash)
                .then().statusCode(200)
                .body("keyId", equalTo(keyId))
                .body("userId", equalTo(user))
                .body("roles", equalTo(List.of("user")))
                .body("expiresAtEpochMs", nullValue());

        String json = redis.value(String.class).get(mirror.redisKey(hash));
        assertNotNull(json, "the key is mirrored into Redis");
        ApiKeyRecord mirrored = mapper.readValue(json, ApiKeyRecord.class);
        assertEquals(new ApiKeyRecord(keyId, user, Set.of("user"), null), mirrored);
        long pttl = redis.key().pttl(mirror.redisKey(hash));
        assertTrue(pttl > 3_500_000 && pttl <= 3_600_000, "without expiresAt the entry lives mirror-ttl (1h): " + pttl);
        assertFalse(json.contains(key));
    }

    /** Required security test: the plaintext key appears in no column of admin.api_keys, nor any part of it. */
    @Test
    void noPlaintextKeyInTheDatabase() throws Exception {
        String user = user("secret");
        String key = createInternal(Map.of("userId", user, "roles", List.of("user", "admin"))).then()
                .statusCode(201).extract().path("key");
        String secretPart = key.substring("aigw_".length());
        String hash = KeyHashing.sha256Hex(key);

        List<String> textColumns = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            try (ResultSet rs = c.createStatement().executeQuery("""
                    select column_name from information_schema.columns
                    where table_schema = 'admin' and table_name = 'api_keys'
                      and data_type in ('text', 'character', 'character varying', 'json', 'jsonb', 'ARRAY')""")) {
                while (rs.next()) {
                    textColumns.add(rs.getString(1));
                }
            }
            assertTrue(textColumns.containsAll(List.of("key_id", "key_hash", "user_id", "roles", "name")),
                    "found text columns " + textColumns);
            // Every text column of every row, and the whole row as JSON, as a belt and braces.
            for (String column : textColumns) {
                assertNoRowContains(c, "\"" + column + "\"::text", key, secretPart);
            }
            assertNoRowContains(c, "row_to_json(t)::text", key, secretPart);
            // Only the hash is stored for this key.
            try (PreparedStatement ps = c.prepareStatement(
                    "select count(*) from admin.api_keys where key_hash = ? and user_id = ?")) {
                ps.setString(1, hash);
                ps.setString(2, user);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(1, rs.getInt(1));
                }
            }
        }
    }

    @Test
    void internalEndpointsRequireTheToken() {
        String body = "{\"userId\":\"" + user("tok") + "\",\"roles\":[\"user\"]}";
        given().contentType(ContentType.JSON).body(body)
                .when().post("/internal/v1/keys")
                .then().statusCode(401)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.message", notNullValue());
        given().contentType(ContentType.JSON).body(body).header("X-Aigw-Internal-Token", TOKEN + "x")
                .when().post("/internal/v1/keys")
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().when().get("/internal/v1/keys/" + "0".repeat(64))
                .then().statusCode(401);
        given().header("X-Aigw-Internal-Token", "").when().get("/internal/v1/keys/" + "0".repeat(64))
                .then().statusCode(401);
        // a request-target with two readings is refused before authentication, whatever the credential
        given().header("X-Aigw-Internal-Token", TOKEN).when().get("//internal/v1/keys/" + "0".repeat(64))
                .then().statusCode(404);
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(body)
                .when().post("/internal;x/v1/keys").then().statusCode(404);
        given().when().get("/internal/v1/unknown").then().statusCode(401);
        // per-caller: only the operator bootstraps keys; the edge (and the operator) look them up
        given().contentType(ContentType.JSON).body(body).header("X-Aigw-Internal-Token", "test-token-edge-0000")
                .when().post("/internal/v1/keys").then().statusCode(403).body("error.type", equalTo("permission_error"));
        given().contentType(ContentType.JSON).body(body).header("X-Aigw-Internal-Token", "test-token-admin-000")
                .when().post("/internal/v1/keys").then().statusCode(403);
        given().contentType(ContentType.JSON).body(body).header("X-Aigw-Internal-Token", "test-token-ops-00000")
                .when().post("/internal/v1/keys").then().statusCode(201);
        given().header("X-Aigw-Internal-Token", "test-token-routing-0").when().get("/internal/v1/keys/" + "0".repeat(64))
                .then().statusCode(403);
        given().header("X-Aigw-Internal-Token", "test-token-edge-0000").when().get("/internal/v1/keys/" + "0".repeat(64))
                .then().statusCode(404);
        // a service credential is not an admin's API key
        given().header("X-Aigw-Internal-Token", TOKEN).when().get("/api/v1/ai/admin/keys").then().statusCode(403);
    }

    @Test
    void badInputIsA400Envelope() {
        createInternal(Map.of("roles", List.of("user"))).then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("userId"))
                .body("error.message", containsString("userId"));
        createInternal(Map.of("userId", "has space")).then().statusCode(400).body("error.param", equalTo("userId"));
        createInternal(Map.of("userId", user("bad"), "roles", List.of("root"))).then().statusCode(400)
                .body("error.param", equalTo("roles"));
        createInternal(Map.of("userId", user("bad"), "roles", List.of())).then().statusCode(400)
                .body("error.param", equalTo("roles"));
        createInternal(Map.of("userId", user("bad"), "expiresAt", "2001-01-01T00:00:00Z")).then().statusCode(400)
                .body("error.param", equalTo("expiresAt"));
        createInternal(Map.of("userId", user("bad"), "expiresAt", "tomorrow")).then().statusCode(400)
                .body("error.code", equalTo("invalid_json"))
                .body("error.param", equalTo("expiresAt"));
        given().header("X-Aigw-Internal-Token", TOKEN).contentType(ContentType.JSON).body("{\"userId\": ")
                .when().post("/internal/v1/keys")
                .then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_json"))
                .body(not500());
        given().header("X-Aigw-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .when().post("/internal/v1/keys")
                .then().statusCode(400).body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void lookupOfUnknownOrExpiredKeyIs404() throws Exception {
        given().header("X-Aigw-Internal-Token", TOKEN)
                .when().get("/internal/v1/keys/" + KeyHashing.sha256Hex(KeyHashing.newKey()))
                .then().statusCode(404)
                .body("error.code", equalTo("not_found"));
        given().header("X-Aigw-Internal-Token", TOKEN)
                .when().get("/internal/v1/keys/not-a-hash")
                .then().statusCode(404);

        // An expired row (written directly: the API refuses a past expiry).
        String expiredHash = KeyHashing.sha256Hex(KeyHashing.newKey());
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into admin.api_keys (key_id, key_hash, user_id, roles, created_at, expires_at) "
                        + "values (?, ?, ?, 'user', now(), ?)")) {
            ps.setString(1, "key_exp" + RUN + UUID.randomUUID().toString().substring(0, 6));
            ps.setString(2, expiredHash);
            ps.setString(3, user("expired"));
            ps.setTimestamp(4, Timestamp.from(Instant.now().minusSeconds(60)));
            ps.executeUpdate();
        }
        given().header("X-Aigw-Internal-Token", TOKEN)
                .when().get("/internal/v1/keys/" + expiredHash)
                .then().statusCode(404);
    }

    @Test
    void expiringKeyIsMirroredWithATtl() {
        Instant expiresAt = Instant.now().plusSeconds(3600);
        Response created = createInternal(Map.of("userId", user("ttl"), "roles", List.of("user"),
                "expiresAt", expiresAt.toString()));
        created.then().statusCode(201).body("expiresAt", notNullValue());
        String hash = KeyHashing.sha256Hex(created.path("key"));
        long pttl = redis.key().pttl(mirror.redisKey(hash));
        assertTrue(pttl > 3_500_000 && pttl <= 3_600_000, "pttl " + pttl);
        given().header("X-Aigw-Internal-Token", TOKEN)
                .when().get("/internal/v1/keys/" + hash)
                .then().statusCode(200)
                .body("expiresAtEpochMs", equalTo(expiresAt.toEpochMilli()));
    }

    @Test
    void remirrorRebuildsRedisFromPostgres() {
        String key = createInternal(Map.of("userId", user("remirror"))).then().statusCode(201).extract().path("key");
        String redisKey = mirror.redisKey(KeyHashing.sha256Hex(key));
        redis.key().del(redisKey);
        assertNull(redis.value(String.class).get(redisKey));
        Integer written = VertxContextSupportHelper.await(() -> keys.remirrorAll());
        assertTrue(written >= 1);
        assertNotNull(redis.value(String.class).get(redisKey), "rebuilt from PostgreSQL");
    }

    // ---------------------------------------------------------------- admin API

    @Test
    void adminRoutesAuthenticateAndAuthorize() {
        String userKey = createInternal(Map.of("userId", user("plain"), "roles", List.of("user")))
                .then().statusCode(201).extract().path("key");
        String adminKey = createInternal(Map.of("userId", user("admin"), "roles", List.of("admin", "user")))
                .then().statusCode(201).extract().path("key");

        given().when().get("/api/v1/ai/admin/providers")
                .then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.type", equalTo("invalid_request_error"));
        given().auth().oauth2(KeyHashing.newKey()).when().get("/api/v1/ai/admin/providers")
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header("Authorization", "Basic Zm9vOmJhcg==").when().get("/api/v1/ai/admin/keys")
                .then().statusCode(401);
        given().auth().oauth2(userKey).when().get("/api/v1/ai/admin/providers")
                .then().statusCode(403)
                .body("error.type", equalTo("permission_error"))
                .body("error.code", equalTo("forbidden"));
        given().auth().oauth2(userKey).when().get("/api/v1/ai/admin/keys")
                .then().statusCode(403);
        // Unknown admin routes reveal nothing before authentication.
        given().when().get("/api/v1/ai/admin/nothing-here").then().statusCode(401);

        given().auth().oauth2(adminKey).header("X-Request-Id", "rid-" + RUN)
                .when().get("/api/v1/ai/admin/providers")
                .then().statusCode(200)
                .header("x-request-id", equalTo("rid-" + RUN))
                .body("$", hasSize(1))
                .body("[0].id", equalTo("fake"))
                .body("[0].models[0].id", equalTo("fake-chat"));
        adapter.verify(getRequestedFor(urlEqualTo("/internal/v1/providers"))
                .withHeader("X-Aigw-Internal-Token", WireMock.equalTo(TOKEN))
                .withHeader("X-Request-Id", WireMock.equalTo("rid-" + RUN)));
    }

    @Test
    void providersWhenAdapterFails() {
        String adminKey = adminKey();
        adapter.resetAll();
        adapter.stubFor(get(urlEqualTo("/internal/v1/providers"))
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        given().auth().oauth2(adminKey).when().get("/api/v1/ai/admin/providers")
                .then().statusCode(503)
                .header("retry-after", notNullValue())
                .body("error.type", equalTo("api_error"))
                .body("error.code", equalTo("upstream_unavailable"));

        adapter.resetAll();
        adapter.stubFor(get(urlEqualTo("/internal/v1/providers"))
                .willReturn(aResponse().withStatus(500).withBody("boom")));
        given().auth().oauth2(adminKey).when().get("/api/v1/ai/admin/providers")
                .then().statusCode(502)
                .body("error.code", equalTo("upstream_error"))
                .body(not500());

        adapter.resetAll();
        adapter.stubFor(get(urlEqualTo("/internal/v1/providers"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(4000)
                        .withHeader("Content-Type", "application/json").withBody("[]")));
        given().auth().oauth2(adminKey).when().get("/api/v1/ai/admin/providers")
                .then().statusCode(504)
                .body("error.code", equalTo("upstream_timeout"));
    }

    @Test
    void adminCreatesListsAndRevokesKeys() {
        String adminKey = adminKey();
        String user = user("managed");

        Response created = given().auth().oauth2(adminKey).contentType(ContentType.JSON)
                .body(Map.of("userId", user, "roles", List.of("user"), "name", "app"))
                .when().post("/api/v1/ai/admin/keys");
        created.then().statusCode(201).body("key", startsWith("aigw_")).body("userId", equalTo(user));
        String key = created.path("key");
        String keyId = created.path("keyId");
        String hash = KeyHashing.sha256Hex(key);
        assertNotNull(redis.value(String.class).get(mirror.redisKey(hash)));

        String listing = given().auth().oauth2(adminKey).queryParam("userId", user)
                .when().get("/api/v1/ai/admin/keys")
                .then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].keyId", equalTo(keyId))
                .body("data[0].userId", equalTo(user))
                .body("data[0].roles", equalTo(List.of("user")))
                .body("data[0].name", equalTo("app"))
                .body("data[0].active", equalTo(true))
                .body("data[0].revokedAt", nullValue())
                .extract().asString();
        assertFalse(listing.contains(key), "the listing never holds the key");
        assertFalse(listing.contains(hash), "the listing never holds the hash");
        assertFalse(listing.contains("key\""), "no key field");

        given().auth().oauth2(adminKey).when().delete("/api/v1/ai/admin/keys/" + keyId)
                .then().statusCode(204);
        given().header("X-Aigw-Internal-Token", TOKEN).when().get("/internal/v1/keys/" + hash)
                .then().statusCode(404);
        assertNull(redis.value(String.class).get(mirror.redisKey(hash)), "mirror removed");
        given().auth().oauth2(adminKey).queryParam("userId", user)
                .when().get("/api/v1/ai/admin/keys")
                .then().statusCode(200)
                .body("data[0].active", equalTo(false))
                .body("data[0].revokedAt", notNullValue());
        // Revoking again is idempotent; an unknown id is 404.
        given().auth().oauth2(adminKey).when().delete("/api/v1/ai/admin/keys/" + keyId).then().statusCode(204);
        given().auth().oauth2(adminKey).when().delete("/api/v1/ai/admin/keys/key_doesnotexist" + RUN)
                .then().statusCode(404).body("error.code", equalTo("not_found"));
        // Bad input on the admin API too.
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body(Map.of("roles", List.of("user")))
                .when().post("/api/v1/ai/admin/keys")
                .then().statusCode(400).body("error.param", equalTo("userId"));
        given().auth().oauth2(adminKey).queryParam("userId", "bad user")
                .when().get("/api/v1/ai/admin/keys").then().statusCode(400);
    }

    @Test
    void revokedAdminKeyLosesAccessAtOnce() {
        Response created = createInternal(Map.of("userId", user("selfrevoke"), "roles", List.of("admin")));
        String adminKey = created.path("key");
        String keyId = created.path("keyId");
        given().auth().oauth2(adminKey).when().get("/api/v1/ai/admin/keys").then().statusCode(200)
                .body("data.keyId", hasItem(keyId));
        given().auth().oauth2(adminKey).when().delete("/api/v1/ai/admin/keys/" + keyId).then().statusCode(204);
        given().auth().oauth2(adminKey).when().get("/api/v1/ai/admin/keys").then().statusCode(401);
    }

    @Test
    void healthAndMetrics() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("redis-key-mirror"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("aigw_admin_keys_created"));
    }

    // ---------------------------------------------------------------- helpers

    private static String user(String what) {
        return "t-" + RUN + "-" + what + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static Response createInternal(Map<String, ?> body) {
        return given().header("X-Aigw-Internal-Token", TOKEN).contentType(ContentType.JSON).body(body)
                .when().post("/internal/v1/keys");
    }

    private static String adminKey() {
        return createInternal(Map.of("userId", user("admin"), "roles", List.of("admin")))
                .then().statusCode(201).extract().path("key");
    }

    private static org.hamcrest.Matcher<String> not500() {
        return org.hamcrest.Matchers.not(containsString("Exception"));
    }

    private static void assertNoRowContains(Connection c, String expression, String key, String secretPart)
            throws Exception {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from admin.api_keys t where "
                + "strpos(coalesce(" + expression + ", ''), ?) > 0 or strpos(coalesce(" + expression + ", ''), ?) > 0")) {
            ps.setString(1, key);
            ps.setString(2, secretPart);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1), expression + " holds the plaintext key");
            }
        }
    }

    /** Runs a reactive (Hibernate Reactive) call on a Vert.x context from the test thread. */
    private static final class VertxContextSupportHelper {
        static <T> T await(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> call) {
            try {
                return VertxContextSupport.subscribeAndAwait(call);
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }
    }
}
