package io.aigateway.admin.keys;

import io.agroal.api.AgroalDataSource;
import io.aigateway.admin.keys.service.KeyMirror;
import io.aigateway.admin.support.AdapterWireMock;
import io.aigateway.contracts.internal.KeyHashing;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The edge's self-service key routes, {@code /internal/v1/users/{userId}/keys} (test profile: 3 keys per user). */
@QuarkusTest
@QuarkusTestResource(AdapterWireMock.class)
class UserKeyApiTest {

    private static final String EDGE = "test-token-edge-0000";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Inject
    AgroalDataSource db;

    @Inject
    RedisDataSource redis;

    @Inject
    KeyMirror mirror;

    private static String user(String name) {
        return "u-" + name + "-" + RUN;
    }

    private static RequestSpecification edge() {
        return given().header("X-Aigw-Internal-Token", EDGE);
    }

    private static String keys(String user) {
        return "/internal/v1/users/" + user + "/keys";
    }

    private static Response create(String user, Object body) {
        return edge().contentType(ContentType.JSON).body(body).post(keys(user));
    }

    @Test
    void createShownOnceListedWithoutKeyAndRevoked() throws Exception {
        String user = user("life");
        Instant expires = Instant.now().plus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Response created = create(user, Map.of("name", "laptop", "expiresAt", expires.toString(),
                "roles", List.of("admin")));
        created.then().statusCode(201)
                .body("key", startsWith("aigw_"))
                .body("keyId", startsWith("key_"))
                .body("name", equalTo("laptop"))
                .body("roles", equalTo(List.of("user")))
                .body("createdAt", notNullValue())
                .body("expiresAt", equalTo(expires.toString()));
        String key = created.path("key");
        String keyId = created.path("keyId");
        String hash = KeyHashing.sha256Hex(key);
        assertNotNull(redis.value(String.class).get(mirror.redisKey(hash)), "mirrored into Redis");

        String listed = edge().get(keys(user)).then().statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].keyId", equalTo(keyId))
                .body("data[0].name", equalTo("laptop"))
                .body("data[0].roles", equalTo(List.of("user")))
                .body("data[0].expiresAt", equalTo(expires.toString()))
                .body("data[0].revokedAt", nullValue())
                .body("data[0]", not(hasKey("key")))
                .body("data[0]", not(hasKey("keyHash")))
                .extract().asString();
        assertFalse(listed.contains(key.substring(5)) || listed.contains(hash), "neither the key nor its hash");

        Map<String, String> audit = auditOf(keyId, "key.create");
        assertEquals(user, audit.get("actor"));
        assertEquals(user, audit.get("actor_user"));
        assertFalse(audit.get("after").contains(key.substring(5)), "never the key in the audit log");

        edge().delete(keys(user) + "/" + keyId).then().statusCode(204);
        assertNull(redis.value(String.class).get(mirror.redisKey(hash)), "mirror removed");
        given().header("X-Aigw-Internal-Token", "test-internal-token").get("/internal/v1/keys/" + hash)
                .then().statusCode(404);
        edge().get(keys(user)).then().statusCode(200).body("data[0].revokedAt", notNullValue());
        assertEquals(user, auditOf(keyId, "key.revoke").get("actor"));
        // idempotent
        edge().delete(keys(user) + "/" + keyId).then().statusCode(204);
    }

    @Test
    void anotherUsersKeyIsNotFound() {
        String owner = user("owner");
        String keyId = create(owner, Map.of("name", "mine")).then().statusCode(201).extract().path("keyId");
        edge().delete(keys(user("thief")) + "/" + keyId).then().statusCode(404)
                .body("error.code", equalTo("not_found"));
        edge().delete(keys(owner) + "/key_doesnotexist").then().statusCode(404)
                .body("error.code", equalTo("not_found"));
        edge().get(keys(user("thief"))).then().statusCode(200).body("data", hasSize(0));
        edge().get(keys(owner)).then().body("data[0].revokedAt", nullValue());
    }

    @Test
    void atMostMaxPerUserLiveKeys() {
        String user = user("many");
        for (int i = 0; i < 3; i++) {
            create(user, Map.of("name", "k" + i)).then().statusCode(201);
        }
        create(user, Map.of("name", "one too many")).then().statusCode(409)
                .body("error.code", equalTo("too_many_keys"));
        String first = edge().get(keys(user)).then().extract().path("data[2].keyId");
        edge().delete(keys(user) + "/" + first).then().statusCode(204);
        create(user, Map.of("name", "after a revoke")).then().statusCode(201);
    }

    @Test
    void badInputIs400() {
        String user = user("bad");
        create(user, Map.of()).then().statusCode(400).body("error.param", equalTo("name"));
        create(user, Map.of("name", "  ")).then().statusCode(400).body("error.param", equalTo("name"));
        create(user, Map.of("name", "x".repeat(65))).then().statusCode(400).body("error.param", equalTo("name"));
        create(user, Map.of("name", "x".repeat(64))).then().statusCode(201);
        create(user, Map.of("name", "tab\there")).then().statusCode(400).body("error.param", equalTo("name"));
        create(user, Map.of("name", "old", "expiresAt", Instant.now().minusSeconds(5).toString())).then()
                .statusCode(400).body("error.param", equalTo("expiresAt"));
        create(user, Map.of("name", "n", "expiresAt", "tomorrow")).then().statusCode(400);
        edge().contentType(ContentType.JSON).body("{\"name\":").post(keys(user)).then().statusCode(400);
        create("bad user!", Map.of("name", "n")).then().statusCode(400).body("error.param", equalTo("userId"));
    }

    @Test
    void onlyTheEdge() {
        String user = user("callers");
        given().get(keys(user)).then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header("X-Aigw-Internal-Token", "wrong-token-000000000").get(keys(user)).then().statusCode(401);
        for (String other : List.of("test-token-routing-0", "test-token-admin-000", "test-token-ops-00000")) {
            given().header("X-Aigw-Internal-Token", other).get(keys(user)).then().statusCode(403)
                    .body("error.code", equalTo("forbidden"));
            given().header("X-Aigw-Internal-Token", other).contentType(ContentType.JSON)
                    .body(Map.of("name", "n")).post(keys(user)).then().statusCode(403);
            given().header("X-Aigw-Internal-Token", other).delete(keys(user) + "/key_x").then().statusCode(403);
        }
        // an admin key is not the edge either
        String adminKey = given().header("X-Aigw-Internal-Token", "test-token-ops-00000").contentType(ContentType.JSON)
                .body(Map.of("userId", user("admin"), "roles", List.of("admin", "user")))
                .post("/internal/v1/keys").then().statusCode(201).extract().path("key");
        given().auth().oauth2(adminKey).get(keys(user)).then().statusCode(403);
    }

    private Map<String, String> auditOf(String keyId, String action) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select actor, actor_user, after::text from admin.audit_log "
                     + "where target = ? and action = ? order by id desc limit 1")) {
            ps.setString(1, "key:" + keyId);
            ps.setString(2, action);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "audit entry of " + action);
                return Map.of("actor", rs.getString(1), "actor_user", rs.getString(2), "after", rs.getString(3));
            }
        }
    }
}
