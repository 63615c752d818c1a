package io.aigateway.routing.cache;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The expiry sweep and the invalidations leave nothing of an entry behind: not in {@code idx:all}, not in the
 * model/provider index sets, not in {@code meta:sizes}/{@code meta:idx}; the shared keys/bytes return to 0.
 * Real Redis, a key prefix of this class; the scheduled sweep is pushed out of the way so the test drives it.
 */
@QuarkusTest
@TestProfile(CachePruneTest.Profile.class)
class CachePruneTest {

    static final String PREFIX = "aigw:test:cacheprune:" + UUID.randomUUID().toString().substring(0, 8) + ":v1:";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "aigw.cache.enabled", "true",
                    "aigw.cache.key-prefix", PREFIX,
                    "aigw.cache.prune-interval", "1h",
                    "aigw.cache.prune-max-rounds", "20",
                    "aigw.adapter.url", "http://127.0.0.1:9");
        }
    }

    static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    ResponseCache cache;

    @Inject
    RedisDataSource redis;

    @AfterEach
    void clear() {
        cache.store().invalidateAll().await().atMost(WAIT);
    }

    static String hash() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    private void put(CacheStore store, List<String> hashes, long ttlSeconds, Set<String> models, String provider) {
        byte[] value = "{\"v\":1,\"body\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        // ten at a time: each put has the store's request-path timeout (1 s here), and a hundred queued on the pool of
        // a loaded two-core machine took longer than that (two CI tries failed so)
        for (int from = 0; from < hashes.size(); from += 10) {
            List<Uni<Void>> puts = new ArrayList<>();
            for (String h : hashes.subList(from, Math.min(hashes.size(), from + 10))) {
                puts.add(store.put(h, value, ttlSeconds, models, provider));
            }
            Uni.join().all(puts).andFailFast().await().atMost(WAIT);
        }
    }

    private long card(String set) {
        return redis.set(String.class).scard(set);
    }

    @Test
    void expiredEntriesLeaveEveryIndexAndTheStatsReturnToZero() throws Exception {
        CacheStore store = cache.store();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String model = "prune-model-" + tag;
        String provider = "prune-prov-" + tag;
        int n = CacheStore.BATCH * 2 + 200; // more than one sweep batch: the tick must repeat
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hashes.add(hash());
        }
        long expirationsBefore = store.shared().await().atMost(WAIT).getOrDefault("expirations", 0L);
        // steady traffic: a longer-lived entry in the same sets keeps them (and their expiry) alive
        String live = hash();
        put(store, List.of(live), 300, Set.of(model, provider + "/" + model), provider);
        long liveBytes = store.shared().await().atMost(WAIT).getOrDefault("bytes", 0L);
        assertTrue(liveBytes > 0);
        put(store, hashes, 1, Set.of(model, provider + "/" + model), provider);

        String modelIdx = store.modelIndex(model);
        String servedIdx = store.modelIndex(provider + "/" + model);
        String providerIdx = store.providerIndex(provider);
        assertEquals(n + 1, card(modelIdx));
        assertEquals(n + 1, card(providerIdx));
        assertEquals(n + 1, redis.sortedSet(String.class).zcard(PREFIX + "idx:all"));
        assertTrue(store.shared().await().atMost(WAIT).getOrDefault("bytes", 0L) > liveBytes);

        String[] keys = hashes.stream().map(store::entryKey).toArray(String[]::new);
        // Redis expires them (1 s TTL)
        await("entries expired in Redis").atMost(WAIT).until(() -> redis.key().exists(keys) == 0);
        // the index still names them until the sweep runs
        assertEquals(n + 1, card(modelIdx));

        cache.prune().await().atMost(WAIT); // one scheduled tick

        Set<String> onlyLive = Set.of(store.entryKey(live));
        assertEquals(1, redis.sortedSet(String.class).zcard(PREFIX + "idx:all"), "idx:all size");
        assertEquals(1, card(modelIdx), "model index set size");
        assertEquals(1, card(providerIdx), "provider index set size");
        assertEquals(onlyLive, Set.copyOf(redis.sortedSet(String.class).zrange(PREFIX + "idx:all", 0, -1)), "idx:all");
        assertEquals(onlyLive, redis.set(String.class).smembers(modelIdx), "model index set");
        assertEquals(onlyLive, redis.set(String.class).smembers(servedIdx), "served-model index set");
        assertEquals(onlyLive, redis.set(String.class).smembers(providerIdx), "provider index set");
        assertEquals(1, redis.hash(String.class).hlen(PREFIX + "meta:sizes"), "meta:sizes");
        assertEquals(1, redis.hash(String.class).hlen(PREFIX + "meta:idx"), "meta:idx");
        Map<String, Long> shared = store.shared().await().atMost(WAIT);
        assertEquals(1L, shared.get("keys"));
        assertEquals(liveBytes, shared.getOrDefault("bytes", 0L));
        assertEquals(expirationsBefore + n, shared.getOrDefault("expirations", 0L));

        // the last entry goes: nothing of the cache is left, keys/bytes are back to 0
        assertEquals(1L, store.invalidateKey(live).await().atMost(WAIT));
        assertEquals(0, redis.key().exists(PREFIX + "idx:all", modelIdx, servedIdx, providerIdx, PREFIX + "meta:sizes",
                PREFIX + "meta:idx"));
        Set<String> named = redis.set(String.class).smembers(PREFIX + "meta:indexes");
        assertFalse(named.contains(modelIdx) || named.contains(servedIdx) || named.contains(providerIdx), named.toString());
        shared = store.shared().await().atMost(WAIT);
        assertEquals(0L, shared.get("keys"));
        assertEquals(0L, shared.getOrDefault("bytes", 0L));
    }

    @Test
    void invalidationsAndRestoresTakeEntriesOutOfTheirOtherIndexes() {
        CacheStore store = cache.store();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String m1 = "inv-m1-" + tag;
        String m2 = "inv-m2-" + tag;
        String p1 = "inv-p1-" + tag;
        String p2 = "inv-p2-" + tag;
        String a = hash();
        String b = hash();
        String c = hash();
        put(store, List.of(a, b), 300, Set.of(m1), p1);
        put(store, List.of(c), 300, Set.of(m2), p1);

        // by model: a and b leave the provider set too; c stays where it is
        assertEquals(2L, store.invalidateIndex(store.modelIndex(m1)).await().atMost(WAIT));
        assertEquals(Set.of(store.entryKey(c)), redis.set(String.class).smembers(store.providerIndex(p1)));
        assertEquals(1L, redis.hash(String.class).hlen(PREFIX + "meta:idx"));

        // stored again under another provider: out of the old provider's set
        put(store, List.of(c), 300, Set.of(m2), p2);
        assertEquals(0, card(store.providerIndex(p1)));
        assertEquals(Set.of(store.entryKey(c)), redis.set(String.class).smembers(store.providerIndex(p2)));
        assertFalse(redis.set(String.class).sismember(PREFIX + "meta:indexes", store.providerIndex(p1)));

        // by key: out of its model and provider sets
        assertEquals(1L, store.invalidateKey(c).await().atMost(WAIT));
        assertEquals(0, redis.key().exists(store.modelIndex(m2), store.providerIndex(p2)));
        assertEquals(0, redis.hash(String.class).hlen(PREFIX + "meta:idx"));
        Map<String, Long> shared = store.shared().await().atMost(WAIT);
        assertEquals(0L, shared.get("keys"));
        assertEquals(0L, shared.getOrDefault("bytes", 0L));
    }

    @Test
    void invalidationByPrefixTakesExactlyTheMatchingEntriesOutOfEveryIndex() {
        CacheStore store = cache.store();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String model = "pfx-m-" + tag;
        String provider = "pfx-p-" + tag;
        // the prefix and a near miss that shares all but its last character
        String prefix = hash().substring(0, 6);
        String nearMiss = prefix.substring(0, 5) + (prefix.charAt(5) == 'f' ? '0' : 'f');
        // more than one ZSCAN round of each (and past the small-set encoding, which a single round would cover)
        int n = CacheStore.BATCH + 100;
        List<String> matching = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            matching.add(prefix + hash().substring(6));
            others.add(nearMiss + hash().substring(6));
        }
        String fresh = hash();
        while (fresh.startsWith(prefix)) {
            fresh = hash();
        }
        String unrelated = fresh;
        others.add(unrelated);
        put(store, matching, 300, Set.of(model), provider);
        put(store, others, 300, Set.of(model), provider);
        long bytesBefore = store.shared().await().atMost(WAIT).getOrDefault("bytes", 0L);
        long invalidationsBefore = store.shared().await().atMost(WAIT).getOrDefault("invalidations", 0L);

        invalidate("{\"prefix\":\"" + prefix + "\"}").then().statusCode(200)
                .body("by", equalTo("prefix")).body("value", equalTo(prefix)).body("removed", equalTo(n));

        Set<String> left = Set.copyOf(others.stream().map(store::entryKey).toList());
        assertEquals(0, redis.key().exists(matching.stream().map(store::entryKey).toArray(String[]::new)), "matching entries");
        assertEquals(left.size(), redis.key().exists(left.toArray(String[]::new)), "other entries");
        assertEquals(left, Set.copyOf(redis.sortedSet(String.class).zrange(PREFIX + "idx:all", 0, -1)), "idx:all");
        assertEquals(left, redis.set(String.class).smembers(store.modelIndex(model)), "model index set");
        assertEquals(left, redis.set(String.class).smembers(store.providerIndex(provider)), "provider index set");
        assertEquals(left, redis.hash(String.class).hgetall(PREFIX + "meta:sizes").keySet(), "meta:sizes");
        assertEquals(left, redis.hash(String.class).hgetall(PREFIX + "meta:idx").keySet(), "meta:idx");
        Map<String, Long> shared = store.shared().await().atMost(WAIT);
        assertEquals((long) left.size(), shared.get("keys"));
        assertTrue(shared.getOrDefault("bytes", 0L) < bytesBefore && shared.getOrDefault("bytes", 0L) > 0);
        assertEquals(invalidationsBefore + n, shared.getOrDefault("invalidations", 0L));

        // a whole key is a prefix of itself; a prefix nothing starts with removes nothing
        invalidate("{\"prefix\":\"" + unrelated + "\"}").then().statusCode(200).body("removed", equalTo(1));
        assertFalse(redis.key().exists(store.entryKey(unrelated)));
        invalidate("{\"prefix\":\"" + prefix + "\"}").then().statusCode(200).body("removed", equalTo(0));
        assertEquals(n, redis.key().exists(left.stream().filter(k -> !k.endsWith(unrelated)).toArray(String[]::new)));

        // bad prefixes: 400 in the OpenAI envelope, naming the field, nothing removed
        for (String bad : List.of("", "  ", "AB", "0x1f", "ab*", "g", "a".repeat(65))) {
            invalidate("{\"prefix\":\"" + bad + "\"}").then().statusCode(400)
                    .body("error.type", equalTo("invalid_request_error")).body("error.param", equalTo("prefix"));
        }
        invalidate("{\"prefix\":\"" + nearMiss + "\",\"all\":true}").then().statusCode(400)
                .body("error.message", containsString("exactly one"));
        assertEquals((long) n, store.shared().await().atMost(WAIT).get("keys"));
        // the prefix is a literal in the MATCH pattern, whatever the configured key prefix holds
        assertEquals("a\\*b\\?\\[c\\]\\\\", CacheStore.glob("a*b?[c]\\"));
    }

    static io.restassured.response.Response invalidate(String json) {
        return given().header("X-Aigw-Internal-Token", "test-internal-token").contentType("application/json").body(json)
                .post("/internal/v1/cache/invalidate");
    }
}
