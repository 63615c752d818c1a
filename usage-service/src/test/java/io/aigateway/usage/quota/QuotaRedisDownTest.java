package io.aigateway.usage.quota;

import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.testsupport.RedisProxyResource;
import io.aigateway.testsupport.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis behind a proxy the test cuts: usage-service stays ready (the hot path does not need it), the quota views and
 * a change answer 503 in the envelope, and once Redis is back the change stored meanwhile reaches Redis on the next
 * ready-check tick (not only at the 5-minute reconcile).
 */
@QuarkusTest
@TestProfile(QuotaRedisDownTest.Profile.class)
class QuotaRedisDownTest {

    static final String PREFIX = "aigw:test:usage:qdown:";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aigw.quota.prefix", PREFIX, "aigw.quota.redis-timeout", "1s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisProxyResource.class));
        }
    }

    TcpProxy redisProxy; // injected by RedisProxyResource

    @Inject
    Vertx vertx;

    @Test
    void redisDownKeepsTheServiceReadyAndChangesReachRedisWhenBack() {
        Redis client = Redis.createClient(vertx, "redis://127.0.0.1:6379/1");
        try {
            RedisAPI direct = RedisAPI.api(client);
            String ready = QuotaKeys.ready(PREFIX);
            await("loaded at start").atMost(Duration.ofSeconds(15))
                    .until(() -> direct.exists(List.of(ready)).await().indefinitely().toInteger() == 1);

            String keyLimits = QuotaKeys.keyLimits(PREFIX, "k-redis-down");
            direct.del(List.of(keyLimits)).await().indefinitely();
            redisProxy.cut();
            try {
                given().header("X-Aigw-Internal-Token", "test-internal-token").contentType("application/json")
                        .body("{\"limits\":{\"requestsPerMinute\":4}}")
                        .put("/internal/v1/quotas/keys/k-redis-down").then().statusCode(503)
                        .body("error.code", equalTo("service_unavailable"));
                await("ready while Redis is down").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                        .until(() -> given().get("/q/health/ready").statusCode() == 200);
                given().header("X-Aigw-Internal-Token", "test-internal-token")
                        .get("/internal/v1/quotas/users/u-redis-down").then().statusCode(503)
                        .body("error.code", equalTo("service_unavailable"));
            } finally {
                redisProxy.resume();
            }
            await("the stored change reaches Redis once it is back").atMost(Duration.ofSeconds(20))
                    .until(() -> direct.hget(keyLimits, "m:req").await().indefinitely() != null);
            assertEquals("4", direct.hget(keyLimits, "m:req").await().indefinitely().toString());
            given().header("X-Aigw-Internal-Token", "test-internal-token")
                    .get("/internal/v1/quotas/users/u-redis-down").then().statusCode(200);
        } finally {
            client.close();
        }
    }
}
