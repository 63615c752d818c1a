package io.aigateway.routing;

import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.quota.QuotaSlot;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.quota.QuotaSettler;
import io.aigateway.support.redis.LuaScript;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * routing-service settles the edge's reservation with the numbers of the request's usage event: the reserved
 * estimate goes back to 0 and exactly the event's request, tokens and cost are charged (nothing for a failure).
 */
@QuarkusTest
@WithTestResource(AdapterMock.class)
class QuotaSettleTest {

    static final String P = "aigw:test:q:";
    static final LuaScript RESERVE = new LuaScript(QuotaKeys.reserveScript());

    @Inject
    RedisDataSource redis;
    @Inject
    ReactiveRedisDataSource reactive;
    @Inject
    io.aigateway.routing.breaker.ProviderBreakers breakers;

    String user;

    @BeforeEach
    void setUp() {
        breakers.resetAll();
        AdapterMock.server.resetAll();
        AdapterMock.stubCatalog();
        CatalogAwait.untilLoaded();
        user = "settle-" + UUID.randomUUID();
        redis.value(String.class).set(QuotaKeys.ready(P), "1");
        redis.hash(String.class).hset(QuotaKeys.userLimits(P, user), Map.of("tier", "free", "d:req", "100"));
    }

    /** What the edge does: reserve 50 tokens and 400 nano-USD. */
    private String reserve() {
        String id = UUID.randomUUID().toString();
        var r = RESERVE.run(reactive, P, user, "", id, "50", "400", "600000").await().atMost(Duration.ofSeconds(5));
        assertEquals(0, r.get(0).toInteger(), "reserved");
        return new QuotaSlot(id, 1, 50, 400).header();
    }

    private Map<String, String> day() {
        return redis.hash(String.class).hgetall(QuotaKeys.counter(P, QuotaKeys.userSubject(user), QuotaKeys.Window.DAY, Instant.now()));
    }

    private Map<String, String> reserved() {
        return redis.hash(String.class).hgetall(QuotaKeys.reserved(P, QuotaKeys.userSubject(user)));
    }

    private io.restassured.specification.RequestSpecification call(String rid, String reservation) {
        return ChatRouteTest.call(rid).header("X-Aigw-Caller-User", user).header("X-Aigw-Quota-Reservation", reservation);
    }

    @Test
    void jsonAnswerChargesTheEventsTokensAndCost() {
        ChatRouteTest.stub("fake", ChatRouteTest.ok(ChatRouteTest.completion("fake-chat", 11, 7), "0.002"));
        String id = reserve();
        assertEquals("1", reserved().get("rreq"));
        call(ChatRouteTest.rid(), id).body(ChatRouteTest.body("fake/fake-chat", false)).post(ChatRouteTest.CHAT)
                .then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, String> r = reserved();
            assertEquals("0", r.get("rreq"), r.toString());
            assertEquals("0", r.get("rtok"));
            assertEquals("0", r.get("rusd"));
            Map<String, String> d = day();
            assertEquals("1", d.get("req"));
            assertEquals("18", d.get("tok"));
            assertEquals("2000000", d.get("usd"), "0.002 USD in nano-USD");
        });
        assertEquals(0L, redis.sortedSet(String.class).zcard(QuotaKeys.pending(P, QuotaKeys.userSubject(user))));
    }

    @Test
    void streamedAnswerIsSettledWithTheStreamsUsage() {
        ChatRouteTest.stub("fake", ChatRouteTest.sse(ChatRouteTest.fullStream(3)));
        String id = reserve();
        call(ChatRouteTest.rid(), id).header("Accept", "text/event-stream").body(ChatRouteTest.body("fake/fake-chat", true))
                .post(ChatRouteTest.CHAT).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals("0", reserved().get("rreq"));
            Map<String, String> d = day();
            assertEquals("1", d.get("req"));
            assertEquals("17", d.get("tok"));
            assertEquals("29500", d.get("usd"));
        });
    }

    @Test
    void aFailedRequestIsChargedNothing() {
        ChatRouteTest.stub("fake", ChatRouteTest.providerError(502, "UPSTREAM_5XX", 500, "fake"));
        String id = reserve();
        int status = call(ChatRouteTest.rid(), id).body(ChatRouteTest.body("fake/fake-chat", false))
                .post(ChatRouteTest.CHAT).statusCode();
        assertEquals(502, status);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals("0", reserved().get("rreq"));
            Map<String, String> d = day();
            assertEquals(null, d.get("req"), "nothing charged: " + d);
        });
    }

    @Test
    void pricesAreTheHighestAmongWhatAModelNameCanResolveTo() {
        io.restassured.RestAssured.given().header("X-Aigw-Internal-Token", ChatRouteTest.TOKEN)
                .get("/internal/v1/models/prices").then().statusCode(200)
                // a group: the dearer of its members, per side
                .body("models.'chat-default'.promptPer1k", org.hamcrest.Matchers.equalTo("0.0015"))
                .body("models.'chat-default'.completionPer1k", org.hamcrest.Matchers.equalTo("0.002"))
                // a bare id served by two providers: the dearer one
                .body("models.'fake-chat'.promptPer1k", org.hamcrest.Matchers.equalTo("0.0015"))
                .body("models.'fakeb/fake-chat'.promptPer1k", org.hamcrest.Matchers.equalTo("0.001"))
                .body("models.'down/down-model'.promptPer1k", org.hamcrest.Matchers.equalTo("0"))
                // unknown names: the dearest of all
                .body("fallback.promptPer1k", org.hamcrest.Matchers.equalTo("0.005"))
                .body("fallback.completionPer1k", org.hamcrest.Matchers.equalTo("0.015"));
        io.restassured.RestAssured.given().get("/internal/v1/models/prices").then().statusCode(401);
    }

    @Test
    void theSlotsOfALeaseAreSettledThroughTheRouteAndTheLeaseEnds() {
        ChatRouteTest.stub("fake", ChatRouteTest.ok(ChatRouteTest.completion("fake-chat", 11, 7), "0.002"));
        redis.hash(String.class).hset(QuotaKeys.userLimits(P, user), Map.of("tier", "pro", "d:req", "100000"));
        String id = UUID.randomUUID().toString();
        var r = RESERVE.run(reactive, P, user, "", id, "50", "400", "600000", "4", "16", "0")
                .await().atMost(Duration.ofSeconds(5));
        assertEquals(4, r.get(0).toInteger(), "a lease");
        assertEquals(4, r.get(10).toInteger());
        for (int slot = 1; slot <= 3; slot++) {
            call(ChatRouteTest.rid(), new QuotaSlot(id, slot, 50, 400).header())
                    .body(ChatRouteTest.body("fake/fake-chat", false)).post(ChatRouteTest.CHAT).then().statusCode(200);
        }
        // a header routing cannot read is left to expire, and the request is served
        call(ChatRouteTest.rid(), id).body(ChatRouteTest.body("fake/fake-chat", false)).post(ChatRouteTest.CHAT)
                .then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals("1", reserved().get("rreq"), "the fourth slot was never given out");
            assertEquals("3", day().get("req"));
            assertEquals("54", day().get("tok"));
            assertEquals("6000000", day().get("usd"));
        });
        var close = new java.util.ArrayList<>(List.of(P, "1"));
        close.addAll(List.of(QuotaSlot.closeArgs(id, 1, 50, 400)));
        new LuaScript(QuotaKeys.settleScript()).run(reactive, close.toArray(String[]::new)).await()
                .atMost(Duration.ofSeconds(5));
        assertEquals("0", reserved().get("rreq"));
        assertEquals(0L, redis.sortedSet(String.class).zcard(QuotaKeys.pending(P, QuotaKeys.userSubject(user))), "no longer pending");
    }

    @Test
    void chargeRules() {
        UsageEvent ok = event(UsageEvent.Outcome.SUCCESS, 30, "0.0001", false);
        assertEquals(new QuotaSettler.Charge(1, 30, 100_000), QuotaSettler.charge(ok, false));
        UsageEvent hit = event(UsageEvent.Outcome.SUCCESS, 30, "0", true);
        assertEquals(new QuotaSettler.Charge(1, 0, 0), QuotaSettler.charge(hit, false), "a cache hit is a request, free");
        assertEquals(new QuotaSettler.Charge(1, 30, 0), QuotaSettler.charge(hit, true));
        UsageEvent failed = event(UsageEvent.Outcome.ERROR, 0, "0", false);
        assertEquals(new QuotaSettler.Charge(0, 0, 0), QuotaSettler.charge(failed, false));
        UsageEvent partial = event(UsageEvent.Outcome.PARTIAL, 12, "0.00000001", false);
        assertEquals(new QuotaSettler.Charge(1, 12, 10), QuotaSettler.charge(partial, false));
    }

    private static UsageEvent event(UsageEvent.Outcome outcome, int tokens, String cost, boolean cached) {
        return new UsageEvent(UUID.randomUUID(), "r", Instant.now(), "u", "k", "default", "m", "p", "m", "cost",
                tokens, 0, tokens, false, new BigDecimal(cost), null, 1, null, false, cached, outcome, null, List.of());
    }
}
