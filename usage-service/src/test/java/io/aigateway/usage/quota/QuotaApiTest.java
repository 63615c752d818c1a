package io.aigateway.usage.quota;

import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.quota.QuotaKeys.Window;
import io.aigateway.usage.testsupport.QuotaProfile;
import io.aigateway.usage.testsupport.QuotaTestData;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The internal quota API against real PostgreSQL and Redis: tiers, users, keys, resets, strict bodies. */
@QuarkusTest
@TestProfile(QuotaProfile.class)
class QuotaApiTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    private static RequestSpecification admin() {
        return given().header("X-Aigw-Internal-Token", "test-internal-token").contentType(ContentType.JSON);
    }

    private Map<String, String> hash(String key) {
        return redis.hash(String.class).hgetall(key);
    }

    @Test
    void listsSeededTiersAndTheDefault() {
        admin().get("/internal/v1/quotas/tiers").then().statusCode(200)
                .body("defaultTier", equalTo("free"))
                .body("tiers.name", hasItems("free", "pro", "enterprise", "unlimited"))
                .body("tiers.find { it.name == 'free' }.limits.requestsPerMinute", equalTo(20))
                .body("tiers.find { it.name == 'free' }.limits.spendUsdPerDay", equalTo("1"))
                .body("tiers.find { it.name == 'free' }.limits.spendUsdPerMonth", equalTo("10"))
                .body("tiers.find { it.name == 'unlimited' }.limits.size()", equalTo(0));
        admin().get("/internal/v1/quotas/tiers/pro").then().statusCode(200).body("name", equalTo("pro"));
        admin().get("/internal/v1/quotas/tiers/nope-" + RUN).then().statusCode(404)
                .body("error.code", equalTo("not_found"));
    }

    @Test
    void tierChangeRewritesEveryUserOfItInRedis() {
        String tier = "t-" + RUN;
        String user = "u-tier-" + RUN;
        admin().body("{\"limits\":{\"requestsPerMinute\":7,\"spendUsdPerDay\":\"5.00\",\"tokensPerMonth\":1000}}")
                .put("/internal/v1/quotas/tiers/" + tier).then().statusCode(200)
                .body("name", equalTo(tier)).body("limits.spendUsdPerDay", equalTo("5"))
                .body("limits.requestsPerMinute", equalTo(7)).body("users", equalTo(0));
        admin().body("{\"tier\":\"" + tier + "\",\"limits\":{\"tokensPerMonth\":500}}")
                .put("/internal/v1/quotas/users/" + user).then().statusCode(200)
                .body("tier", equalTo(tier))
                .body("overrides.tokensPerMonth", equalTo(500))
                .body("effective.tokensPerMonth", equalTo(500))
                .body("effective.requestsPerMinute", equalTo(7));

        String key = QuotaKeys.userLimits(QuotaTestData.prefix(), user);
        assertEquals(Map.of("m:req", "7", "d:usd", "5000000000", "M:tok", "500", "tier", tier), hash(key));

        // the tier loses its spend limit and gets a day request limit: the user's hash follows at once
        admin().body("{\"limits\":{\"requestsPerMinute\":9,\"requestsPerDay\":100,\"spendUsdPerMonth\":2.5}}")
                .put("/internal/v1/quotas/tiers/" + tier).then().statusCode(200).body("users", equalTo(1))
                .body("limits.spendUsdPerMonth", equalTo("2.5"));
        assertEquals(Map.of("m:req", "9", "d:req", "100", "M:usd", "2500000000", "M:tok", "500", "tier", tier),
                hash(key));

        admin().delete("/internal/v1/quotas/tiers/" + tier).then().statusCode(409)
                .body("error.code", equalTo("conflict")).body("error.param", equalTo("tier"));
        admin().body("{\"tier\":\"pro\"}").put("/internal/v1/quotas/users/" + user).then().statusCode(200)
                .body("tier", equalTo("pro")).body("overrides.size()", equalTo(0));
        assertEquals("pro", hash(key).get("tier"));
        admin().delete("/internal/v1/quotas/tiers/" + tier).then().statusCode(204);
        admin().get("/internal/v1/quotas/tiers/" + tier).then().statusCode(404);
        admin().delete("/internal/v1/quotas/tiers/" + tier).then().statusCode(404);
    }

    @Test
    void theDefaultTierCannotBeDeleted() {
        admin().delete("/internal/v1/quotas/tiers/free").then().statusCode(409).body("error.param", equalTo("tier"));
    }

    @Test
    void aUserWithoutARowGetsTheDefaultTierAndLiveCounters() {
        String user = "u-default-" + RUN;
        Instant now = Instant.now();
        String day = QuotaKeys.counter(QuotaTestData.prefix(), QuotaKeys.userSubject(user), Window.DAY, now);
        redis.hash(String.class).hset(day, Map.of("req", "3", "usd", "250000000"));
        redis.hash(String.class).hset(QuotaKeys.reserved(QuotaTestData.prefix(), QuotaKeys.userSubject(user)),
                Map.of("rreq", "1", "rusd", "100000000"));
        admin().get("/internal/v1/quotas/users/" + user).then().statusCode(200)
                .body("userId", equalTo(user)).body("tier", equalTo("free"))
                .body("overrides.size()", equalTo(0))
                .body("effective.requestsPerDay", equalTo(500))
                .body("limits", hasSize(7))
                .body("limits.find { it.window == 'day' && it.metric == 'requests' }.limit", equalTo(500))
                .body("limits.find { it.window == 'day' && it.metric == 'requests' }.used", equalTo(3))
                .body("limits.find { it.window == 'day' && it.metric == 'requests' }.reserved", equalTo(1))
                .body("limits.find { it.window == 'day' && it.metric == 'requests' }.remaining", equalTo(496))
                .body("limits.find { it.window == 'day' && it.metric == 'requests' }.resetsAt",
                        equalTo(Window.DAY.end(now).toString()))
                .body("limits.find { it.window == 'day' && it.metric == 'spendUsd' }.used", equalTo("0.25"))
                .body("limits.find { it.window == 'day' && it.metric == 'spendUsd' }.reserved", equalTo("0.1"))
                .body("limits.find { it.window == 'day' && it.metric == 'spendUsd' }.remaining", equalTo("0.65"));
    }

    @Test
    void resetZeroesUsedOfTheChosenWindowsAndKeepsReserved() {
        String user = "u-reset-" + RUN;
        Instant now = Instant.now();
        String subject = QuotaKeys.userSubject(user);
        String day = QuotaKeys.counter(QuotaTestData.prefix(), subject, Window.DAY, now);
        String month = QuotaKeys.counter(QuotaTestData.prefix(), subject, Window.MONTH, now);
        redis.hash(String.class).hset(day, Map.of("req", "40", "tok", "900", "usd", "7"));
        redis.hash(String.class).hset(QuotaKeys.reserved(QuotaTestData.prefix(), subject), Map.of("rreq", "2"));
        redis.hash(String.class).hset(month, Map.of("req", "41", "tok", "901"));

        admin().body("{\"windows\":[\"day\"]}").post("/internal/v1/quotas/users/" + user + "/reset").then()
                .statusCode(200).body("userId", equalTo(user))
                .body("limits.find { it.window == 'day' && it.metric == 'requests' }.used", equalTo(0))
                .body("limits.find { it.window == 'day' && it.metric == 'requests' }.reserved", equalTo(2));
        assertEquals(Map.of("req", "0", "tok", "0", "usd", "0"), hash(day));
        assertEquals("41", hash(month).get("req"), "month not reset");
        assertTrue(redis.key().pttl(day) > 0, "the counter expires after its window");
        long resets = pool.preparedQuery("SELECT count(*) FROM usage.quota_resets WHERE subject = $1 AND \"window\" = 'day'")
                .execute(Tuple.of(subject)).await().indefinitely().iterator().next().getLong(0);
        assertEquals(1, resets);

        // no body: every window
        given().header("X-Aigw-Internal-Token", "test-internal-token")
                .post("/internal/v1/quotas/users/" + user + "/reset").then().statusCode(200);
        assertEquals("0", hash(month).get("req"));
    }

    @Test
    void keysHaveTheirOwnLimits() {
        String keyId = "k-" + RUN;
        String hashKey = QuotaKeys.keyLimits(QuotaTestData.prefix(), keyId);
        admin().get("/internal/v1/quotas/keys/" + keyId).then().statusCode(200)
                .body("keyId", equalTo(keyId)).body("limits.size()", equalTo(0)).body("usage", hasSize(0));
        admin().body("{\"limits\":{\"requestsPerMinute\":3,\"spendUsdPerMonth\":\"0.5\"}}")
                .put("/internal/v1/quotas/keys/" + keyId).then().statusCode(200)
                .body("limits.requestsPerMinute", equalTo(3)).body("limits.spendUsdPerMonth", equalTo("0.5"))
                .body("usage", hasSize(2))
                .body("usage.find { it.metric == 'spendUsd' }.remaining", equalTo("0.5"));
        assertEquals(Map.of("m:req", "3", "M:usd", "500000000"), hash(hashKey));

        String minute = QuotaKeys.counter(QuotaTestData.prefix(), QuotaKeys.keySubject(keyId), Window.MINUTE,
                Instant.now());
        redis.hash(String.class).hset(minute, Map.of("req", "2"));
        admin().body("{\"windows\":[\"minute\"]}").post("/internal/v1/quotas/keys/" + keyId + "/reset").then()
                .statusCode(200).body("keyId", equalTo(keyId));
        assertEquals("0", hash(minute).get("req"));

        admin().delete("/internal/v1/quotas/keys/" + keyId).then().statusCode(204);
        assertFalse(redis.key().exists(hashKey), "the key's limits are gone from Redis");
        admin().get("/internal/v1/quotas/keys/" + keyId).then().statusCode(200).body("limits.size()", equalTo(0));
    }

    @Test
    void badBodiesAre400sNamingTheField() {
        String user = "/internal/v1/quotas/users/u-bad-" + RUN;
        expect400(admin().body("{\"limits\":{\"requestsPerDay\":-1}}").put(user), "limits.requestsPerDay");
        expect400(admin().body("{\"limits\":{\"requestsPerDay\":1.5}}").put(user), "limits.requestsPerDay");
        expect400(admin().body("{\"limits\":{\"tokensPerDay\":\"many\"}}").put(user), "limits.tokensPerDay");
        expect400(admin().body("{\"limits\":{\"spendUsdPerDay\":\"abc\"}}").put(user), "limits.spendUsdPerDay");
        expect400(admin().body("{\"limits\":{\"spendUsdPerDay\":\"-1\"}}").put(user), "limits.spendUsdPerDay");
        expect400(admin().body("{\"limits\":{\"spendUsdPerDay\":\"0.00000000001\"}}").put(user),
                "limits.spendUsdPerDay");
        expect400(admin().body("{\"limits\":{\"requestsPerHour\":5}}").put(user), "limits.requestsPerHour");
        expect400(admin().body("{\"tier\":\"pro\",\"extra\":1}").put(user), "extra");
        expect400(admin().body("{\"tier\":\"no-such-" + RUN + "\"}").put(user), "tier");
        expect400(admin().body("{\"tier\":5}").put(user), "tier");
        expect400(admin().body("{\"limits\":[1]}").put(user), "limits");
        expect400(admin().body("{\"windows\":[\"hour\"]}").post(user + "/reset"), "windows[0]");
        expect400(admin().body("{\"windows\":[]}").post(user + "/reset"), "windows");
        expect400(admin().body("{\"limits\":{\"requestsPerMinute\":-2}}").put("/internal/v1/quotas/tiers/x-" + RUN),
                "limits.requestsPerMinute");
        expect400(admin().body("{\"limits\":{}}").put("/internal/v1/quotas/tiers/Bad_Name"), "tier");
        admin().body("{\"limits\":{").put(user).then().statusCode(400)
                .body("error.code", equalTo("invalid_json")).body("error.type", equalTo("invalid_request_error"));
        admin().body("[1,2]").put("/internal/v1/quotas/keys/k-bad-" + RUN).then().statusCode(400)
                .body("error.code", equalTo("invalid_json"));
        admin().put("/internal/v1/quotas/keys/k-bad-" + RUN).then().statusCode(400)
                .body("error.code", equalTo("invalid_json"));
        // nothing was stored by the refused requests
        admin().get(user).then().statusCode(200).body("tier", equalTo("free")).body("overrides.size()", equalTo(0));
    }

    @Test
    void onlyAdminAndOpsMayChangeQuotas() {
        given().header("X-Aigw-Internal-Token", "test-token-edge-0000")
                .get("/internal/v1/quotas/tiers").then().statusCode(403)
                .body("error.type", equalTo("permission_error"));
        given().get("/internal/v1/quotas/tiers").then().statusCode(401).body("error.param", nullValue());
        given().header("X-Aigw-Internal-Token", "test-token-admin-000")
                .get("/internal/v1/quotas/tiers").then().statusCode(200);
    }

    private static void expect400(io.restassured.response.Response response, String param) {
        response.then().statusCode(400).body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo(param));
    }
}
