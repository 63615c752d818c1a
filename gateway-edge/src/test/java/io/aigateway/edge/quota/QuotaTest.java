package io.aigateway.edge.quota;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.quota.QuotaSlot;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quota enforcement at the edge against real Redis (limits written the way usage-service writes them). */
@QuarkusTest
@QuarkusTestResource(WireMockResource.class)
class QuotaTest {

    static final String P = "aigw:test:q:";
    static final String ROUTE = "/internal/v1/route/chat";
    static final String COMPLETION = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";

    @Inject
    RedisDataSource redis;

    String user;
    Keys.TestKey key;

    @BeforeEach
    void setUp() {
        user = "quota-" + UUID.randomUUID();
        key = Keys.inRedis(redis, user, "user");
        redis.value(String.class).set(QuotaKeys.ready(P), "1");
        WireMockResource.routing().stubFor(post(urlEqualTo(ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("q-json")))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody(COMPLETION)));
        WireMockResource.routing().stubFor(post(urlEqualTo(ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("q-reset")))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    }

    @AfterEach
    void tearDown() {
        redis.key().del(QuotaKeys.userLimits(P, user), QuotaKeys.keyLimits(P, key.keyId()));
    }

    private void limits(String hashKey, Map<String, String> fields) {
        redis.hash(String.class).hset(hashKey, fields);
    }

    private Response chat(String model) {
        return given().header("Authorization", key.bearer()).contentType("application/json")
                .body("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}],"
                        + "\"max_tokens\":20}")
                .post("/v1/chat/completions");
    }

    private Map<String, String> reserved(String subject) {
        return redis.hash(String.class).hgetall(QuotaKeys.reserved(P, subject));
    }

    private Map<String, String> counter(String subject, QuotaKeys.Window w) {
        return redis.hash(String.class).hgetall(QuotaKeys.counter(P, subject, w, Instant.now()));
    }

    static io.aigateway.testsupport.MetricsScrape scrape() {
        return io.aigateway.testsupport.MetricsScrape.parse(given().get("/q/metrics").then().statusCode(200)
                .extract().asString());
    }

    static double rejections(io.aigateway.testsupport.MetricsScrape s, String window, String metric) {
        return s.value("aigw_quota_rejections_total", "window", window, "metric", metric);
    }

    @Test
    void dayBudgetAdmitsExactlyItsRequestsThenRefusesWithInsufficientQuota() {
        io.aigateway.testsupport.MetricsScrape before = scrape();
        limits(QuotaKeys.userLimits(P, user), Map.of("tier", "free", "d:req", "3", "m:tok", "100000"));
        for (int i = 2; i >= 0; i--) {
            Response ok = chat("q-json");
            assertEquals(200, ok.statusCode());
            assertEquals("3", ok.header("x-ratelimit-limit-requests"));
            assertEquals(Integer.toString(i), ok.header("x-ratelimit-remaining-requests"));
            assertEquals("100000", ok.header("x-ratelimit-limit-tokens"));
            assertNotNull(ok.header("x-ratelimit-reset-requests"));
            assertNotNull(ok.header("x-ratelimit-reset-tokens"));
        }
        Response refused = chat("q-json");
        assertEquals(429, refused.statusCode());
        refused.then().body("error.code", equalTo("insufficient_quota"))
                .body("error.type", equalTo("insufficient_quota"));
        long retryAfter = Long.parseLong(refused.header("retry-after"));
        assertTrue(retryAfter > 0 && retryAfter <= 86_400, "until the end of the UTC day: " + retryAfter);
        assertEquals("0", refused.header("x-ratelimit-remaining-requests"));
        assertTrue(refused.body().asString().contains("requests per day of the user"), refused.body().asString());
        // the refused request never reached routing, and each admitted one carried its own reservation
        List<LoggedRequest> routed = routedFor();
        assertEquals(3, routed.size());
        assertEquals(3, routed.stream().map(r -> r.getHeader("X-Aigw-Quota-Reservation")).distinct().count());
        assertEquals("3", reserved(QuotaKeys.userSubject(user)).get("rreq"));
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("aigw_quota_decisions_total{decision=\"refused\"}"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(user)));
        io.aigateway.testsupport.MetricsScrape after = scrape();
        assertEquals(1, rejections(after, "day", "requests") - rejections(before, "day", "requests"));
        assertEquals(rejections(before, "minute", "requests"), rejections(after, "minute", "requests"));
        for (String w : new String[] {"minute", "day", "month"}) {
            for (String m : new String[] {"requests", "tokens", "spendUsd"}) {
                assertTrue(after.has("aigw_quota_rejections_total", "window", w, "metric", m), "at zero: " + w + "/" + m);
            }
        }
        assertEquals(0, after.value("aigw_redis_gate_open", "gate", "quota"));
        assertEquals(0, after.value("aigw_redis_gate_open", "gate", "key_lookups"));
        assertEquals(2, after.select("aigw_redis_gate_open").size(), "the quota and key lookup gates");
    }

    @Test
    void aMonthTokenBudgetRefusalIsCountedUnderItsWindowAndMetric() {
        io.aigateway.testsupport.MetricsScrape before = scrape();
        limits(QuotaKeys.userLimits(P, user), Map.of("tier", "free", "M:tok", "1"));
        assertEquals(200, chat("q-json").statusCode()); // admitted with head-room, its reservation now uses it up
        assertEquals(429, chat("q-json").statusCode());
        io.aigateway.testsupport.MetricsScrape after = scrape();
        assertEquals(1, rejections(after, "month", "tokens") - rejections(before, "month", "tokens"));
    }

    private List<LoggedRequest> routedFor() {
        return WireMockResource.routing().findAll(postRequestedFor(urlEqualTo(ROUTE))
                .withHeader("X-Aigw-Caller-User", WireMock.equalTo(user)));
    }

    @Test
    void minuteWindowIsRateLimitExceededWithRetryAfterWithinTheMinute() {
        limits(QuotaKeys.userLimits(P, user), Map.of("tier", "free", "m:req", "1"));
        assertEquals(200, chat("q-json").statusCode());
        io.aigateway.testsupport.MetricsScrape before = scrape();
        Response refused = chat("q-json");
        assertEquals(429, refused.statusCode());
        assertEquals(1, rejections(scrape(), "minute", "requests") - rejections(before, "minute", "requests"));
        refused.then().body("error.code", equalTo("rate_limit_exceeded"));
        long retryAfter = Long.parseLong(refused.header("retry-after"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "retry-after " + retryAfter);
    }

    @Test
    void theKeysOwnLimitsApplyBesideTheUsers() {
        limits(QuotaKeys.userLimits(P, user), Map.of("tier", "pro", "d:req", "100"));
        limits(QuotaKeys.keyLimits(P, key.keyId()), Map.of("d:req", "1"));
        Response ok = chat("q-json");
        assertEquals(200, ok.statusCode());
        assertEquals("1", ok.header("x-ratelimit-limit-requests"), "the tighter (key) limit is reported");
        Response refused = chat("q-json");
        assertEquals(429, refused.statusCode());
        assertTrue(refused.body().asString().contains("of the API key"), refused.body().asString());
    }

    @Test
    void concurrentRequestsNeverPassTheBudget() throws Exception {
        limits(QuotaKeys.userLimits(P, user), Map.of("tier", "free", "d:req", "10"));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(() -> chat("q-json").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertEquals(10, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(30, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void farFromItsLimitsACallerIsServedFromALeaseThatClosesWithItsTime() throws InterruptedException {
        while (60_000 - System.currentTimeMillis() % 60_000 < 5_000) {
            Thread.sleep(100); // a lease never outlives the minute it was granted in: start with time to spare
        }
        limits(QuotaKeys.userLimits(P, user), Map.of("tier", "pro", "d:req", "1000000"));
        for (int i = 0; i < 5; i++) {
            Response ok = chat("q-json");
            assertEquals(200, ok.statusCode());
            assertEquals(Integer.toString(999_999 - i), ok.header("x-ratelimit-remaining-requests"));
        }
        List<String> slots = routedFor().stream().map(r -> r.getHeader("X-Aigw-Quota-Reservation")).toList();
        QuotaSlot first = QuotaSlot.parse(slots.get(0));
        for (int i = 0; i < 5; i++) {
            QuotaSlot s = QuotaSlot.parse(slots.get(i));
            assertEquals(first.reservation(), s.reservation(), "one Redis reservation: " + slots);
            assertEquals(i + 1, s.slot());
        }
        assertEquals("32", reserved(QuotaKeys.userSubject(user)).get("rreq"), "the lease holds 32 requests");
        // routing (a stub here) settles nothing; when its time is up the edge gives back the 27 slots it did not use
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                assertEquals("5", reserved(QuotaKeys.userSubject(user)).get("rreq")));
        Response next = chat("q-json");
        assertEquals(200, next.statusCode());
        assertTrue(!QuotaSlot.parse(routedFor().get(5).getHeader("X-Aigw-Quota-Reservation")).reservation()
                .equals(first.reservation()), "a new lease after the old one closed");
    }

    @Test
    void aRequestRoutingNeverReceivedIsReleased() {
        limits(QuotaKeys.userLimits(P, user), Map.of("tier", "free", "d:req", "5"));
        Response failed = chat("q-reset");
        assertTrue(failed.statusCode() >= 500, "routing reset the connection: " + failed.statusCode());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
            assertEquals("0", reserved(QuotaKeys.userSubject(user)).get("rreq"));
            Map<String, String> day = counter(QuotaKeys.userSubject(user), QuotaKeys.Window.DAY);
            assertNull(day.get("req"), "nothing charged: " + day);
        });
    }

    @Test
    void noLimitsMeansNoReservationAndNoHeaders() {
        Response ok = chat("q-json");
        assertEquals(200, ok.statusCode());
        assertNull(ok.header("x-ratelimit-limit-requests"));
        assertTrue(counter(QuotaKeys.userSubject(user), QuotaKeys.Window.DAY).isEmpty());
        assertTrue(reserved(QuotaKeys.userSubject(user)).isEmpty());
        assertFalse(routedFor().get(0).containsHeader("X-Aigw-Quota-Reservation"));
    }

    @Test
    void aCallerWithoutLimitsIsRememberedForAMomentThenALimitSetMeanwhileApplies() {
        assertEquals(200, chat("q-json").statusCode()); // Redis: no limit applies (status 3), remembered 5 s (test profile)
        limits(QuotaKeys.userLimits(P, user), Map.of("tier", "free", "d:req", "0"));
        Response remembered = chat("q-json");
        assertEquals(200, remembered.statusCode(), "admitted without asking Redis while remembered as unlimited");
        assertNull(remembered.header("x-ratelimit-limit-requests"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> chat("q-json").statusCode() == 429);
        assertEquals(0, routedFor().stream().filter(r -> r.containsHeader("X-Aigw-Quota-Reservation")).count(),
                "nothing reserved for the unlimited requests");
    }

    @Test
    void limitsNotLoadedMeanTheLocalLimitDecides() {
        limits(QuotaKeys.userLimits(P, user), Map.of("tier", "free", "d:req", "0"));
        redis.key().del(QuotaKeys.ready(P));
        try {
            Response ok = chat("q-json");
            assertEquals(200, ok.statusCode(), "a zero budget is not enforced before usage-service has loaded Redis");
            assertEquals("1000000", ok.header("x-ratelimit-limit-requests"), "the local limit (test profile)");
        } finally {
            redis.value(String.class).set(QuotaKeys.ready(P), "1");
        }
    }

    @Test
    void usageIsTheCallersOwnRelayedFromUsageService() {
        String path = "/internal/v1/quotas/users/" + user + "/usage";
        WireMockResource.admin().stubFor(get(WireMock.urlPathEqualTo(path))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody("{\"userId\":\"" + user + "\",\"tier\":\"free\"}")));
        given().header("Authorization", key.bearer()).queryParam("userId", "someone-else")
                .get("/api/v1/ai/usage").then().statusCode(200).body("userId", equalTo(user))
                .header("cache-control", equalTo("no-store"));
        given().header("Authorization", key.bearer()).queryParam("from", "2026-12-01").queryParam("to", "2026-12-03")
                .get("/api/v1/ai/usage").then().statusCode(200);
        var seen = WireMockResource.admin().findAll(WireMock.getRequestedFor(WireMock.urlPathEqualTo(path)));
        assertEquals(2, seen.size());
        assertEquals(key.keyId(), seen.get(0).queryParameter("keyId").firstValue());
        assertFalse(seen.get(0).getUrl().contains("someone-else"));
        assertEquals("2026-12-01", seen.get(1).queryParameter("from").firstValue());
        assertEquals("test-internal-token", seen.get(0).getHeader("X-Aigw-Internal-Token"), "the edge's own credential");

        given().get("/api/v1/ai/usage").then().statusCode(401);
        given().header("Authorization", key.bearer()).queryParam("from", "yesterday").queryParam("to", "2026-12-03")
                .get("/api/v1/ai/usage").then().statusCode(400).body("error.param", equalTo("from"));
        given().header("Authorization", key.bearer()).queryParam("from", "2026-12-01")
                .get("/api/v1/ai/usage").then().statusCode(400).body("error.param", equalTo("to"));
        given().header("Authorization", key.bearer()).post("/api/v1/ai/usage").then().statusCode(405);
    }
}
