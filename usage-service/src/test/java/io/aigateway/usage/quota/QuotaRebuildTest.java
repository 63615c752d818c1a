package io.aigateway.usage.quota;

import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.quota.QuotaKeys.Window;
import io.aigateway.usage.quota.service.QuotaLoader;
import io.aigateway.usage.testsupport.QuotaProfile;
import io.aigateway.usage.testsupport.QuotaTestData;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis rebuilt from PostgreSQL: after the test prefix's keys are deleted (as a flush would), the ready check loads
 * limits and counters equal to the sums of usage_records; a reconcile never lowers a counter; a reset is remembered
 * by rebuilds.
 */
@QuarkusTest
@TestProfile(QuotaProfile.class)
class QuotaRebuildTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Inject
    RedisDataSource redis;

    @Inject
    Pool pool;

    @Inject
    QuotaLoader loader;

    private Map<String, String> hash(String key) {
        return redis.hash(String.class).hgetall(key);
    }

    private void admin(String method, String path, String body) {
        var spec = given().header("X-Aigw-Internal-Token", "test-internal-token").contentType(ContentType.JSON);
        if (body != null) {
            spec = spec.body(body);
        }
        spec.request(method, path).then().statusCode(200);
    }

    @Test
    void aFlushedRedisIsRebuiltFromPostgres() {
        String user = "u-rebuild-" + RUN;
        String keyId = "k-rebuild-" + RUN;
        admin("PUT", "/internal/v1/quotas/users/" + user, "{\"tier\":\"pro\",\"limits\":{\"requestsPerDay\":99}}");
        admin("PUT", "/internal/v1/quotas/keys/" + keyId, "{\"limits\":{\"tokensPerDay\":1000}}");
        Instant now = Instant.now();
        // charged: SUCCESS, PARTIAL or tokens > 0; a cached answer counts its request but no tokens
        QuotaTestData.insertRecord(pool, user, keyId, now, "fake", "m1", 4, 6, "0.001", false, "SUCCESS");
        QuotaTestData.insertRecord(pool, user, keyId, now, "fake", "m1", 15, 5, "0.002", false, "PARTIAL");
        QuotaTestData.insertRecord(pool, user, null, now, "fake", "m1", 0, 0, "0", false, "ERROR");
        QuotaTestData.insertRecord(pool, user, null, now, "fake", "m2", 5, 0, "0.0005", false, "ERROR");
        QuotaTestData.insertRecord(pool, user, keyId, now, "fake", "m2", 30, 20, "0", true, "SUCCESS");

        assertTrue(QuotaTestData.flushPrefix(redis) > 0, "the test prefix had keys to flush");
        String ready = QuotaKeys.ready(QuotaTestData.prefix());
        await("ready again").atMost(Duration.ofSeconds(15)).until(() -> redis.key().exists(ready));

        assertEquals("free", hash(QuotaKeys.defaultLimits(QuotaTestData.prefix())).get("tier"));
        assertEquals("20", hash(QuotaKeys.defaultLimits(QuotaTestData.prefix())).get("m:req"));
        Map<String, String> userLimits = hash(QuotaKeys.userLimits(QuotaTestData.prefix(), user));
        assertEquals("pro", userLimits.get("tier"));
        assertEquals("99", userLimits.get("d:req"));
        assertEquals("120", userLimits.get("m:req"));
        assertEquals(Map.of("d:tok", "1000"), hash(QuotaKeys.keyLimits(QuotaTestData.prefix(), keyId)));

        String subject = QuotaKeys.userSubject(user);
        Map<String, String> expected = Map.of("req", "4", "tok", "35", "usd", "3500000");
        assertEquals(expected, hash(counter(subject, Window.DAY, now)));
        assertEquals(expected, hash(counter(subject, Window.MONTH, now)));
        assertEquals(Map.of("req", "3", "tok", "30", "usd", "3000000"),
                hash(counter(QuotaKeys.keySubject(keyId), Window.DAY, now)));
        assertTrue(redis.key().pttl(counter(subject, Window.DAY, now)) > 0, "rebuilt counters expire");
    }

    @Test
    void aReconcileNeverLowersACounter() {
        String user = "u-reconcile-" + RUN;
        Instant now = Instant.now();
        QuotaTestData.insertRecord(pool, user, null, now, "fake", "m1", 1, 1, "0.000000001", false, "SUCCESS");
        QuotaTestData.insertRecord(pool, user, null, now, "fake", "m1", 1, 1, "0.000000001", false, "SUCCESS");
        String day = counter(QuotaKeys.userSubject(user), Window.DAY, now);

        // Redis ahead of PostgreSQL (settled, event not stored yet): kept
        redis.hash(String.class).hset(day, Map.of("req", "100", "tok", "1", "usd", "7"));
        reconcile();
        assertEquals(Map.of("req", "100", "tok", "4", "usd", "7"), hash(day));

        // Redis behind: raised to PostgreSQL's sums
        redis.hash(String.class).hset(day, Map.of("req", "1", "tok", "1", "usd", "1"));
        reconcile();
        assertEquals(Map.of("req", "2", "tok", "4", "usd", "2"), hash(day));
    }

    @Test
    void aRebuildCountsOnlyRecordsAfterAReset() throws Exception {
        String user = "u-reset-rebuild-" + RUN;
        Instant before = Instant.now();
        QuotaTestData.insertRecord(pool, user, null, before, "fake", "m1", 10, 0, "0.01", false, "SUCCESS");
        QuotaTestData.insertRecord(pool, user, null, before, "fake", "m1", 10, 0, "0.01", false, "SUCCESS");
        admin("POST", "/internal/v1/quotas/users/" + user + "/reset", "{\"windows\":[\"day\"]}");
        Thread.sleep(5); // the next record occurs strictly after reset_at
        QuotaTestData.insertRecord(pool, user, null, Instant.now(), "fake", "m1", 7, 0, "0.02", false, "SUCCESS");

        QuotaTestData.flushPrefix(redis);
        String ready = QuotaKeys.ready(QuotaTestData.prefix());
        await("ready again").atMost(Duration.ofSeconds(15)).until(() -> redis.key().exists(ready));

        String subject = QuotaKeys.userSubject(user);
        Instant now = Instant.now();
        assertEquals(Map.of("req", "1", "tok", "7", "usd", "20000000"), hash(counter(subject, Window.DAY, now)));
        assertEquals(Map.of("req", "3", "tok", "27", "usd", "40000000"), hash(counter(subject, Window.MONTH, now)),
                "the month window was not reset");
    }

    /** One reconcile of this replica (retried while the ready check's load holds the lock). */
    private void reconcile() {
        await("a reconcile").atMost(Duration.ofSeconds(30))
                .until(() -> loader.load(true).await().atMost(Duration.ofSeconds(30)).loaded());
    }

    private static String counter(String subject, Window w, Instant at) {
        return QuotaKeys.counter(QuotaTestData.prefix(), subject, w, at);
    }
}
