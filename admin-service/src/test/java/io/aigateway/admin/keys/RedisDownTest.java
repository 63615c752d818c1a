package io.aigateway.admin.keys;

import io.aigateway.contracts.internal.KeyHashing;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/** Redis unreachable (a dead port): keys are still created, looked up and revoked; readiness stays UP. */
@QuarkusTest
@TestProfile(RedisDownTest.DeadRedis.class)
class RedisDownTest {

    public static class DeadRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1/1", "aigw.keys.redis-timeout", "300ms");
        }
    }

    private static final String TOKEN = "test-internal-token";

    @Test
    void keysWorkWithoutRedis() {
        String user = "t-redisdown-" + UUID.randomUUID().toString().substring(0, 8);
        String adminKey = given().header("X-Aigw-Internal-Token", TOKEN).contentType(ContentType.JSON)
                .body(Map.of("userId", user, "roles", List.of("admin")))
                .when().post("/internal/v1/keys")
                .then().statusCode(201).body("key", startsWith("aigw_")).extract().path("key");
        String hash = KeyHashing.sha256Hex(adminKey);
        given().header("X-Aigw-Internal-Token", TOKEN).when().get("/internal/v1/keys/" + hash)
                .then().statusCode(200).body("userId", equalTo(user));

        String keyId = given().auth().oauth2(adminKey).contentType(ContentType.JSON)
                .body(Map.of("userId", user, "roles", List.of("user")))
                .when().post("/api/v1/ai/admin/keys")
                .then().statusCode(201).extract().path("keyId");
        given().auth().oauth2(adminKey).when().delete("/api/v1/ai/admin/keys/" + keyId)
                .then().statusCode(204);

        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'redis-key-mirror' }.data.redis", equalTo("down"))
                .body("checks.name", hasItem("redis-key-mirror"));
    }
}
