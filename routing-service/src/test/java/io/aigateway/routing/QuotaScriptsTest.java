package io.aigateway.routing;

import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.quota.QuotaSlot;
import io.aigateway.support.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * reserve.lua's leases and settle.lua's batches against the real Redis: how many slots a lease gets, what closing it
 * gives back, that every slot and every close counts once, that an expired lease is released from all its subjects,
 * and that a batch charges each counter the sum of its items.
 */
@QuarkusTest
@WithTestResource(AdapterMock.class)
class QuotaScriptsTest {

    static final String P = "aigw:test:qs:";
    static final LuaScript RESERVE = new LuaScript(QuotaKeys.reserveScript());
    static final LuaScript SETTLE = new LuaScript(QuotaKeys.settleScript());

    @Inject
    RedisDataSource redis;
    @Inject
    ReactiveRedisDataSource reactive;

    String user;
    String key;
    /** Reservation ids are unique in production (UUIDs): each test's are prefixed with its own. */
    String run;

    @BeforeEach
    void setUp() {
        user = "scripts-" + UUID.randomUUID();
        key = "key-" + UUID.randomUUID();
        run = UUID.randomUUID() + "-";
        redis.value(String.class).set(QuotaKeys.ready(P), "1");
    }

    private void userLimits(String... fieldValues) {
        Map<String, String> m = new HashMap<>(Map.of("tier", "pro"));
        for (int i = 0; i < fieldValues.length; i += 2) {
            m.put(fieldValues[i], fieldValues[i + 1]);
        }
        redis.hash(String.class).hset(QuotaKeys.userLimits(P, user), m);
    }

    private Response reserve(String id, String keyId, long tok, long usd, long ttlMs, int maxSlots, long minLeftMs) {
        return RESERVE.run(reactive, P, user, keyId, id, Long.toString(tok), Long.toString(usd), Long.toString(ttlMs),
                Integer.toString(maxSlots), "16", Long.toString(minLeftMs)).await().atMost(Duration.ofSeconds(5));
    }

    private Response reserve(String id, long tok, long usd, int maxSlots) {
        return reserve(id, "", tok, usd, 600_000, maxSlots, 0);
    }

    private long settle(String[]... items) {
        List<String> args = new ArrayList<>(List.of(P, Integer.toString(items.length)));
        for (String[] item : items) {
            args.addAll(List.of(item));
        }
        return SETTLE.run(reactive, args.toArray(String[]::new)).await().atMost(Duration.ofSeconds(5)).toLong();
    }

    private Map<String, String> held(String subject) {
        return redis.hash(String.class).hgetall(QuotaKeys.reserved(P, subject));
    }

    private Map<String, String> day(String subject) {
        return redis.hash(String.class).hgetall(QuotaKeys.counter(P, subject, QuotaKeys.Window.DAY, Instant.now()));
    }

    private String u() {
        return QuotaKeys.userSubject(user);
    }

    @Test
    void farFromTheLimitsALeaseGetsTheMostSlotsAsked() {
        userLimits("d:req", "1000000", "M:usd", "1000000000000");
        Response r = reserve(run + "a", 50, 400, 32);
        assertEquals(4, r.get(0).toInteger(), "a lease");
        assertEquals(32, r.get(10).toInteger());
        assertTrue(r.get(11).toLong() > 0 && r.get(11).toLong() <= 60_000, "time left in the minute");
        assertEquals(Map.of("rreq", "32", "rtok", "1600", "rusd", "12800"), held(u()));
        assertEquals("999999", r.get(4).toString(), "remaining counts this request only: the rest are the edge's");
    }

    @Test
    void theHeadroomFactorBoundsTheLeaseByEveryLimit() {
        userLimits("d:req", "100"); // 100 / 16 = 6 requests
        assertEquals(6, reserve(run + "b1", 50, 400, 32).get(10).toInteger());
        user = "scripts-" + UUID.randomUUID();
        userLimits("m:tok", "4000"); // 4000 / (16 * 50) = 5 requests' tokens
        assertEquals(5, reserve(run + "b2", 50, 400, 32).get(10).toInteger());
        user = "scripts-" + UUID.randomUUID();
        userLimits("d:req", "20"); // 20 / 16 = 1: near the limit every request asks Redis
        Response single = reserve(run + "b3", 50, 400, 32);
        assertEquals(0, single.get(0).toInteger());
        assertEquals("1", held(u()).get("rreq"));
    }

    @Test
    void noLeaseWhenTheMinuteIsNearlyOverOrNoneIsAsked() {
        userLimits("d:req", "1000000");
        assertEquals(0, reserve(run + "c1", "", 50, 400, 600_000, 32, 60_001).get(0).toInteger(), "never 60 s left");
        assertEquals(0, reserve(run + "c2", 50, 400, 1).get(0).toInteger(), "leases off");
        assertEquals("2", held(u()).get("rreq"));
    }

    @Test
    void slotsChargeTheirUsageAndClosingReturnsWhatWasNotGivenOut() {
        userLimits("d:req", "1000000");
        assertEquals(32, reserve(run + "d", 50, 400, 32).get(10).toInteger());
        QuotaSlot s1 = new QuotaSlot(run + "d", 1, 50, 400);
        QuotaSlot s2 = new QuotaSlot(run + "d", 2, 30, 200); // a smaller request the edge gave the lease's second slot
        assertEquals(2, settle(s1.settleArgs(1, 18, 2_000_000), s2.settleArgs(1, 10, 0)));
        assertEquals(Map.of("rreq", "30", "rtok", "1520", "rusd", "12200"), held(u()));
        Map<String, String> d = day(u());
        assertEquals("2", d.get("req"));
        assertEquals("28", d.get("tok"));
        assertEquals("2000000", d.get("usd"));
        // the edge gave out slots 1 and 2 (80 tokens, 600 nano-USD) and closes the lease
        assertEquals(1, settle(QuotaSlot.closeArgs(run + "d", 30, 1600 - 80, 12800 - 600)));
        assertEquals(Map.of("rreq", "0", "rtok", "0", "rusd", "0"), held(u()));
        assertTrue(redis.key().pttl(QuotaKeys.reservation(P, run + "d")) <= 60_000, "closed and holding nothing: expires");
        assertEquals(0L, redis.sortedSet(String.class).zcard(QuotaKeys.pending(P, u())));
    }

    @Test
    void aSlotOrACloseSeenAgainCountsOnce() {
        userLimits("d:req", "1000000");
        reserve(run + "e", 50, 400, 32);
        QuotaSlot s1 = new QuotaSlot(run + "e", 1, 50, 400);
        String[] close = QuotaSlot.closeArgs(run + "e", 30, 1500, 12000);
        assertEquals(2, settle(s1.settleArgs(1, 18, 1000), close));
        assertEquals(0, settle(s1.settleArgs(1, 18, 1000), close), "a retried batch");
        assertEquals(Map.of("rreq", "1", "rtok", "50", "rusd", "400"), held(u()), "slot 2 is still out");
        assertEquals("1", day(u()).get("req"));
        // the last slot settles after the close: the reservation is done
        assertEquals(1, settle(new QuotaSlot(run + "e", 2, 50, 400).settleArgs(1, 5, 0)));
        assertEquals(Map.of("rreq", "0", "rtok", "0", "rusd", "0"), held(u()));
        assertEquals(0L, redis.sortedSet(String.class).zcard(QuotaKeys.pending(P, u())));
        assertEquals(0, settle(new QuotaSlot(run + "e", 3, 50, 400).settleArgs(1, 5, 0)), "done: no new slot counts");
        assertEquals(0, settle(new QuotaSlot(run + "gone", 1, 50, 400).settleArgs(1, 5, 0)), "unknown: nothing");
        assertFalse(redis.key().exists(QuotaKeys.reservation(P, run + "gone")), "nothing created");
        assertEquals("2", day(u()).get("req"));
        assertEquals(Map.of("rreq", "0", "rtok", "0", "rusd", "0"), held(u()));
    }

    @Test
    void aSingleReservationIsDoneAtItsSettleAndZeroAmountsAreFine() {
        userLimits("d:req", "10");
        assertEquals(0, reserve(run + "f", 0, 0, 32).get(0).toInteger());
        // nothing estimated, nothing charged: every amount is 0 (Lua's -0 must not reach HINCRBY)
        assertEquals(1, settle(new QuotaSlot(run + "f", 1, 0, 0).settleArgs(0, 0, 0)));
        assertEquals("0", held(u()).get("rreq"));
        assertNull(day(u()).get("req"));
    }

    @Test
    void aRequestServedTwiceCountsAtItsLargestSettle() {
        userLimits("d:req", "10");
        assertEquals(0, reserve(run + "t", 50, 400, 32).get(0).toInteger());
        QuotaSlot s = new QuotaSlot(run + "t", 1, 50, 400);
        // the first attempt was cancelled (charged nothing), the edge resent the request and routing served it
        assertEquals(1, settle(s.settleArgs(0, 0, 0)));
        assertEquals("0", held(u()).get("rreq"));
        assertEquals(1, settle(s.settleArgs(1, 18, 1000)));
        assertEquals(0, settle(s.settleArgs(1, 18, 1000)), "the same again: nothing");
        assertEquals(0, settle(s.settleArgs(1, 10, 500)), "less: nothing");
        assertEquals(1, settle(s.settleArgs(1, 20, 1000)), "more tokens: the difference");
        Map<String, String> d = day(u());
        assertEquals("1", d.get("req"));
        assertEquals("20", d.get("tok"));
        assertEquals("1000", d.get("usd"));
        assertEquals("0", held(u()).get("rreq"), "released once");
    }

    @Test
    void anExpiredLeaseIsReleasedFromEverySubject() throws Exception {
        userLimits("d:req", "1000000");
        redis.hash(String.class).hset(QuotaKeys.keyLimits(P, key), Map.of("d:req", "1000000"));
        String k = QuotaKeys.keySubject(key);
        assertEquals(32, reserve(run + "g", key, 50, 400, 50, 32, 0).get(10).toInteger());
        assertEquals("32", held(k).get("rreq"));
        Thread.sleep(120); // past the 50 ms lifetime: the next call's sweep releases it
        reserve(run + "h", "", 50, 400, 600_000, 1, 0);
        assertEquals("1", held(u()).get("rreq"), "the user holds only the new reservation");
        assertEquals("0", held(k).get("rreq"), "the key's part of the expired lease is released too");
        assertFalse(redis.key().exists(QuotaKeys.reservation(P, run + "g")), "swept: deleted");
        assertEquals(0L, redis.sortedSet(String.class).zcard(QuotaKeys.pending(P, k)));
    }

    @Test
    void aBatchChargesBothSubjectsTheSumOfItsItems() {
        userLimits("d:req", "1000000");
        redis.hash(String.class).hset(QuotaKeys.keyLimits(P, key), Map.of("m:req", "1000000"));
        String k = QuotaKeys.keySubject(key);
        assertEquals(32, reserve(run + "i", key, 10, 10, 600_000, 32, 0).get(10).toInteger());
        String[][] items = new String[5][];
        for (int i = 0; i < 5; i++) {
            items[i] = new QuotaSlot(run + "i", i + 1, 10, 10).settleArgs(1, 7, 3);
        }
        assertEquals(5, settle(items));
        for (String subject : List.of(u(), k)) {
            Map<String, String> d = day(subject);
            assertEquals("5", d.get("req"), subject);
            assertEquals("35", d.get("tok"), subject);
            assertEquals("15", d.get("usd"), subject);
            assertEquals("27", held(subject).get("rreq"), subject);
        }
        long ttl = redis.key().pttl(QuotaKeys.counter(P, u(), QuotaKeys.Window.DAY, Instant.now()));
        assertTrue(ttl > 3_600_000 && ttl <= 86_400_000L + 3_600_000, "the day's counter outlives it by an hour: " + ttl);
    }

    /**
     * settle.lua applies the items of one reservation against one read of it and writes their totals once: whatever
     * the batch (slots, second attempts, closes, unknown reservations, in any order), Redis must end up exactly as
     * after the same items sent one call each. Random batches under two prefixes, every key compared.
     */
    @Test
    void aBatchEndsExactlyWhereItsItemsOneByOneEnd() throws InterruptedException {
        for (long seed = 1; seed <= 40; seed++) {
            long inMinute = System.currentTimeMillis() % 60_000;
            if (inMinute > 59_000) {
                Thread.sleep(60_050 - inMinute); // both prefixes reserve in the same minute (same window ids)
            }
            java.util.Random rnd = new java.util.Random(seed);
            String ns = "aigw:test:qsb:" + UUID.randomUUID() + ":";
            String batched = ns + "b:", single = ns + "s:";
            List<String[]> items = new ArrayList<>();
            int count = 1 + rnd.nextInt(40);
            for (int i = 0; i < count; i++) {
                int pick = rnd.nextInt(20);
                String id = pick < 12 ? run + "A" : pick < 17 ? run + "B" : run + "G";
                boolean close = rnd.nextInt(pick < 12 ? 7 : 12) == 0;
                long aq = rnd.nextInt(3) == 0 ? 0 : 1;
                long at = aq == 0 && rnd.nextBoolean() ? 0 : rnd.nextInt(60);
                long au = rnd.nextInt(3000);
                if (close) {
                    long left = rnd.nextInt(8);
                    items.add(QuotaSlot.closeArgs(id, left, left * 50, left * 400));
                } else {
                    int slot = pick < 12 ? 1 + rnd.nextInt(8) : 1;
                    items.add(new QuotaSlot(id, slot, 50, 400).settleArgs(aq, at, au));
                }
            }
            for (String prefix : List.of(batched, single)) {
                redis.value(String.class).set(QuotaKeys.ready(prefix), "1");
                redis.hash(String.class).hset(QuotaKeys.userLimits(prefix, user), Map.of("tier", "pro", "d:req", "1000000"));
                redis.hash(String.class).hset(QuotaKeys.keyLimits(prefix, key), Map.of("m:tok", "1000000"));
                assertEquals(8, RESERVE.run(reactive, prefix, user, key, run + "A", "50", "400", "600000", "8", "16", "0")
                        .await().atMost(Duration.ofSeconds(5)).get(10).toInteger());
                assertEquals(0, RESERVE.run(reactive, prefix, user, "", run + "B", "50", "400", "600000", "1", "16", "0")
                        .await().atMost(Duration.ofSeconds(5)).get(0).toInteger());
            }
            List<String> args = new ArrayList<>(List.of(batched, Integer.toString(items.size())));
            items.forEach(item -> args.addAll(List.of(item)));
            long appliedBatched = SETTLE.run(reactive, args.toArray(String[]::new)).await().atMost(Duration.ofSeconds(5))
                    .toLong();
            long appliedSingly = 0;
            for (String[] item : items) {
                List<String> one = new ArrayList<>(List.of(single, "1"));
                one.addAll(List.of(item));
                appliedSingly += SETTLE.run(reactive, one.toArray(String[]::new)).await().atMost(Duration.ofSeconds(5))
                        .toLong();
            }
            String what = "seed " + seed + ", " + count + " items";
            assertEquals(appliedSingly, appliedBatched, what);
            List<String> keys = redis.key().keys(batched + "*").stream().map(k -> k.substring(batched.length())).sorted()
                    .toList();
            assertEquals(redis.key().keys(single + "*").stream().map(k -> k.substring(single.length())).sorted().toList(),
                    keys, what);
            for (String k : keys) {
                assertEquals(contents(single + k), contents(batched + k), what + ", key " + k);
                long ttlS = redis.key().pttl(single + k), ttlB = redis.key().pttl(batched + k);
                assertEquals(ttlS < 0, ttlB < 0, what + ", key " + k + " TTL");
                assertEquals(ttlS <= 60_000, ttlB <= 60_000, what + ", key " + k + " TTL " + ttlS + " vs " + ttlB);
            }
            redis.key().del(redis.key().keys(ns + "*").toArray(String[]::new));
        }
    }

    private Object contents(String k) {
        return switch (redis.key().type(k)) {
            case HASH -> redis.hash(String.class).hgetall(k);
            case ZSET -> redis.sortedSet(String.class).zrange(k, 0, -1); // members (scores: each prefix's reserve time)
            default -> redis.value(String.class).get(k);
        };
    }
}
