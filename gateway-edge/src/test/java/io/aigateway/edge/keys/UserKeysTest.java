package io.aigateway.edge.keys;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code /api/v1/ai/keys}: the caller's own keys through admin-service's user-key routes (stubbed here per the contract
 * in the issue 12 plan), always for the authenticated user, with the edge's service credential.
 */
@QuarkusTest
class UserKeysTest {

    static final String KEY_ROW = "{\"keyId\":\"k-1\",\"name\":\"laptop\",\"roles\":[\"user\"],"
            + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"expiresAt\":null,\"revokedAt\":null}";

    @Inject
    RedisDataSource redis;

    Keys.TestKey key;
    String internal;

    @BeforeEach
    void setUp() {
        key = Keys.inRedis(redis, "keys-user-" + UUID.randomUUID(), "user");
        internal = "/internal/v1/users/" + key.userId() + "/keys";
    }

    @Test
    void listsTheCallersOwnKeys() {
        WireMockResource.admin().stubFor(get(urlEqualTo(internal))
                .withHeader("X-Aigw-Internal-Token", WireMock.equalTo("test-internal-token"))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody("{\"data\":[" + KEY_ROW + "]}")));
        given().header("Authorization", key.bearer()).get("/api/v1/ai/keys").then()
                .statusCode(200)
                .header("cache-control", "no-store")
                .body("data[0].keyId", equalTo("k-1"))
                .body("data[0].name", equalTo("laptop"));
    }

    @Test
    void createsAKeyShownOnce() {
        WireMockResource.admin().stubFor(post(urlEqualTo(internal))
                .withRequestBody(equalToJson("{\"name\":\"ci\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}"))
                .willReturn(aResponse().withStatus(201).withHeader("content-type", "application/json")
                        .withBody("{\"keyId\":\"k-2\",\"key\":\"aigw_new\",\"name\":\"ci\",\"roles\":[\"user\"],"
                                + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}")));
        given().header("Authorization", key.bearer()).contentType("application/json")
                .body("{\"name\":\"  ci \",\"expiresAt\":\"2099-01-01T00:00:00Z\"}")
                .post("/api/v1/ai/keys").then()
                .statusCode(201)
                .header("cache-control", "no-store")
                .body("key", equalTo("aigw_new"))
                .body("keyId", equalTo("k-2"));
    }

    @Test
    void tooManyKeysIsRelayed() {
        WireMockResource.admin().stubFor(post(urlEqualTo(internal))
                .willReturn(aResponse().withStatus(409).withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"At most 20 active keys.\",\"type\":\"invalid_request_error\","
                                + "\"param\":null,\"code\":\"too_many_keys\"}}")));
        given().header("Authorization", key.bearer()).contentType("application/json").body("{\"name\":\"one more\"}")
                .post("/api/v1/ai/keys").then().statusCode(409).body("error.code", equalTo("too_many_keys"));
    }

    @Test
    void badInputIs400WithTheParameter() {
        String[][] cases = {
                {"{}", "name"},
                {"{\"name\":\"\"}", "name"},
                {"{\"name\":42}", "name"},
                {"{\"name\":\"" + "x".repeat(101) + "\"}", "name"},
                {"{\"name\":\"a\",\"expiresAt\":\"tomorrow\"}", "expiresAt"},
                {"{\"name\":\"a\",\"expiresAt\":\"2000-01-01T00:00:00Z\"}", "expiresAt"},
                {"{\"name\":\"a\",\"roles\":[\"admin\"]}", "roles"},
                {"{\"name\":\"a\",\"userId\":\"someone-else\"}", "userId"},
        };
        for (String[] c : cases) {
            given().header("Authorization", key.bearer()).contentType("application/json").body(c[0])
                    .post("/api/v1/ai/keys").then()
                    .statusCode(400)
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.param", equalTo(c[1]));
        }
        given().header("Authorization", key.bearer()).contentType("application/json").body("[1,2]")
                .post("/api/v1/ai/keys").then().statusCode(400);
        given().header("Authorization", key.bearer()).contentType("application/json").body("{\"name\":")
                .post("/api/v1/ai/keys").then().statusCode(400);
        given().header("Authorization", key.bearer()).contentType("application/json")
                .body("{\"name\":\"" + "x".repeat(20000) + "\"}")
                .post("/api/v1/ai/keys").then().statusCode(413).body("error.code", equalTo("request_too_large"));
        given().header("Authorization", key.bearer()).delete("/api/v1/ai/keys/bad key!").then()
                .statusCode(400).body("error.param", equalTo("keyId"));
        WireMockResource.admin().verify(0, postRequestedFor(urlEqualTo(internal)));
    }

    @Test
    void revokesOwnKeyAndAnotherUsersKeyIs404() {
        WireMockResource.admin().stubFor(delete(urlEqualTo(internal + "/k-own"))
                .willReturn(aResponse().withStatus(204)));
        WireMockResource.admin().stubFor(delete(urlEqualTo(internal + "/k-other"))
                .willReturn(aResponse().withStatus(404).withHeader("content-type", "application/json")
                        .withBody("{\"error\":{\"message\":\"No such key.\",\"type\":\"invalid_request_error\","
                                + "\"param\":null,\"code\":\"not_found\"}}")));
        given().header("Authorization", key.bearer()).delete("/api/v1/ai/keys/k-own").then().statusCode(204);
        given().header("Authorization", key.bearer()).delete("/api/v1/ai/keys/k-other").then()
                .statusCode(404).body("error.code", equalTo("not_found"));
    }

    @Test
    void unauthenticatedAndWrongRoleAndAdminDown() {
        given().get("/api/v1/ai/keys").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().contentType("application/json").body("{\"name\":\"x\"}").post("/api/v1/ai/keys").then().statusCode(401);
        given().delete("/api/v1/ai/keys/k-1").then().statusCode(401);
        Keys.TestKey adminOnly = Keys.inRedis(redis, "keys-admin-" + UUID.randomUUID(), "admin");
        given().header("Authorization", adminOnly.bearer()).get("/api/v1/ai/keys").then().statusCode(403);
        WireMockResource.admin().verify(0, anyRequestedFor(urlPathMatching("/internal/v1/users/keys-admin-.*")));
        given().header("Authorization", key.bearer()).put("/api/v1/ai/keys").then().statusCode(405);

        WireMockResource.admin().stubFor(get(urlEqualTo(internal)).willReturn(aResponse().withStatus(500)));
        given().header("Authorization", key.bearer()).get("/api/v1/ai/keys").then()
                .statusCode(503).header("retry-after", "1");
    }
}
