package io.aigateway.admin.keys;

import io.agroal.api.AgroalDataSource;
import io.aigateway.admin.keys.service.ApiKeyService;
import io.aigateway.admin.keys.service.KeyMirror;
import io.aigateway.admin.keys.service.KeyMirrorJob;
import io.aigateway.admin.support.AdapterWireMock;
import io.aigateway.contracts.internal.KeyHashing;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mirror repair job and the revocation channel, against the machine's Redis (db 1, this module's own test
 * prefix) and PostgreSQL (database {@code test}). The job method is invoked directly: no waiting for the schedule.
 */
@QuarkusTest
@QuarkusTestResource(AdapterWireMock.class)
class KeyMirrorRepairTest {

    private static final String TOKEN = "test-internal-token";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final long HOUR_MS = 3_600_000;

    @Inject
    RedisDataSource redis;

    @Inject
    AgroalDataSource db;

    @Inject
    KeyMirror mirror;

    @Inject
    KeyMirrorJob job;

    @ConfigProperty(name = "aigw.keys.revocation-channel")
    String channel;

    @Test
    void oneRunRemovesStaleEntriesAndRefreshesLiveOnes() throws Exception {
        // A revoked key whose Redis delete "failed": the entry is planted back after the revocation.
        Response revokedKey = create(user("revoked"), null);
        String revokedHash = KeyHashing.sha256Hex(revokedKey.path("key"));
        String revokedJson = redis.value(String.class).get(mirror.redisKey(revokedHash));
        assertNotNull(revokedJson, "mirrored on create");
        given().auth().oauth2(adminKey()).when().delete("/api/v1/ai/admin/keys/" + revokedKey.path("keyId"))
                .then().statusCode(204);
        assertNull(redis.value(String.class).get(mirror.redisKey(revokedHash)), "deleted on revoke");
        redis.value(String.class).set(mirror.redisKey(revokedHash), revokedJson);

        // An expired key (row written directly: the API refuses a past expiry) with a leftover entry.
        String expiredHash = KeyHashing.sha256Hex(KeyHashing.newKey());
        insertRow(expiredHash, Instant.now().minusSeconds(60));
        redis.value(String.class).set(mirror.redisKey(expiredHash), revokedJson);
        // A hash PostgreSQL never had (row deleted), and garbage under the prefix.
        String unknownHash = KeyHashing.sha256Hex(KeyHashing.newKey());
        redis.value(String.class).set(mirror.redisKey(unknownHash), revokedJson);
        redis.value(String.class).set(mirror.redisKey("not-a-hash-" + RUN), "{}");

        // A live key whose entry is about to expire (the job that refreshes it fell behind), and a live key
        // whose entry is gone (Redis flushed): both must come back with a fresh TTL.
        String liveHash = KeyHashing.sha256Hex(create(user("live"), null).path("key"));
        redis.key().pexpire(mirror.redisKey(liveHash), 30_000);
        String goneHash = KeyHashing.sha256Hex(create(user("gone"), null).path("key"));
        redis.key().del(mirror.redisKey(goneHash));
        // A live key expiring in 10 minutes: its entry's TTL stays capped by the key's expiry.
        Instant soon = Instant.now().plusSeconds(600);
        String soonHash = KeyHashing.sha256Hex(create(user("soon"), soon).path("key"));
        redis.key().pexpire(mirror.redisKey(soonHash), 30_000);

        ApiKeyService.MirrorRepair result = onVertx(job::run);

        assertTrue(result.removed() >= 4, "removed " + result.removed());
        assertTrue(result.written() >= 3, "written " + result.written());
        assertNull(redis.value(String.class).get(mirror.redisKey(revokedHash)), "stale entry of a revoked key removed");
        assertNull(redis.value(String.class).get(mirror.redisKey(expiredHash)), "stale entry of an expired key removed");
        assertNull(redis.value(String.class).get(mirror.redisKey(unknownHash)), "entry of an unknown hash removed");
        assertNull(redis.value(String.class).get(mirror.redisKey("not-a-hash-" + RUN)), "garbage removed");

        long livePttl = redis.key().pttl(mirror.redisKey(liveHash));
        assertTrue(livePttl > HOUR_MS - 60_000 && livePttl <= HOUR_MS, "live entry refreshed to mirror-ttl: " + livePttl);
        long gonePttl = redis.key().pttl(mirror.redisKey(goneHash));
        assertTrue(gonePttl > HOUR_MS - 60_000 && gonePttl <= HOUR_MS, "missing live entry rewritten: " + gonePttl);
        long soonPttl = redis.key().pttl(mirror.redisKey(soonHash));
        long untilExpiry = soon.toEpochMilli() - System.currentTimeMillis();
        assertTrue(soonPttl > untilExpiry - 60_000 && soonPttl <= untilExpiry + 1_000,
                "capped by the key's expiry: " + soonPttl + " vs " + untilExpiry);
    }

    @Test
    void revocationIsPublishedOnTheChannel() {
        List<String> received = new CopyOnWriteArrayList<>();
        PubSubCommands.RedisSubscriber subscriber = redis.pubsub(String.class).subscribe(channel, received::add);
        try {
            Response key = create(user("published"), null);
            String hash = KeyHashing.sha256Hex(key.path("key"));
            given().auth().oauth2(adminKey()).when().delete("/api/v1/ai/admin/keys/" + key.path("keyId"))
                    .then().statusCode(204);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertTrue(received.contains(hash), "received " + received));
            assertFalse(received.stream().anyMatch(m -> m.contains("aigw_")), "never the key itself");
        } finally {
            subscriber.unsubscribe();
        }
    }

    /**
     * A key revoked by another admin-service instance (the row updated directly, so no event reaches this one):
     * the admin API refuses it within its cache TTL (1 s).
     */
    @Test
    void revocationByAnotherInstanceReachesTheAdminApiWithinASecond() throws Exception {
        Response created = create(user("other-instance"), null, List.of("admin"));
        String key = created.path("key");
        given().auth().oauth2(key).when().get("/api/v1/ai/admin/keys").then().statusCode(200);
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "update admin.api_keys set revoked_at = now() where key_id = ?")) {
            ps.setString(1, created.path("keyId"));
            assertEquals(1, ps.executeUpdate());
        }
        Instant revokedAt = Instant.now();
        await().atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().auth().oauth2(key).when().get("/api/v1/ai/admin/keys").statusCode() == 401);
        assertTrue(Duration.between(revokedAt, Instant.now()).toMillis() <= 1500);
    }

    // ---------------------------------------------------------------- helpers

    /** Runs a reactive call on a Vert.x context (as the scheduler does) and waits for its item. */
    private static <T> T onVertx(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> call) {
        try {
            return VertxContextSupport.subscribeAndAwait(call);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private void insertRow(String hash, Instant expiresAt) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "insert into admin.api_keys (key_id, key_hash, user_id, roles, created_at, expires_at) "
                        + "values (?, ?, ?, 'user', now(), ?)")) {
            ps.setString(1, "key_rep" + RUN + UUID.randomUUID().toString().substring(0, 6));
            ps.setString(2, hash);
            ps.setString(3, user("expired"));
            ps.setTimestamp(4, Timestamp.from(expiresAt));
            ps.executeUpdate();
        }
    }

    private static String user(String what) {
        return "t-" + RUN + "-" + what + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static Response create(String userId, Instant expiresAt) {
        return create(userId, expiresAt, List.of("user"));
    }

    private static Response create(String userId, Instant expiresAt, List<String> roles) {
        Map<String, Object> body = expiresAt == null ? Map.of("userId", userId, "roles", roles)
                : Map.of("userId", userId, "roles", roles, "expiresAt", expiresAt.toString());
        Response r = given().header("X-Aigw-Internal-Token", TOKEN).contentType(ContentType.JSON).body(body)
                .when().post("/internal/v1/keys");
        r.then().statusCode(201);
        return r;
    }

    private static String adminKey() {
        return create(user("admin"), null, List.of("admin")).path("key");
    }
}
