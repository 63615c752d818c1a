package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.Json;
import io.aigateway.testsupport.TcpProxy;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Quotas across the whole stack (real Redis, Kafka, PostgreSQL): limits set through the admin API, enforced by the
 * edge with one Redis call per request, settled by routing with each usage event, rebuilt by usage-service.
 */
class QuotaIT {

    private static final ObjectMapper MAPPER = Json.newMapper();
    private static E2eStack stack;
    private static HttpClient http;

    @BeforeAll
    static void up() {
        stack = E2eStack.get();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void cleanUp() throws Exception {
        stack.fakeReset();
        stack.resetBreakers();
    }

    record User(String id, String key) {
    }

    /** A fresh user with a key and these limits (admin API). */
    private static User user(String tag, String limitsJson) throws Exception {
        String id = "e2e-quota-" + tag + "-" + stack.runId;
        String key = stack.createKey(id, List.of("user"));
        Response put = admin().contentType("application/json").body("{\"limits\":" + limitsJson + "}")
                .put("/api/v1/ai/admin/quotas/users/" + id);
        assertEquals(200, put.statusCode(), put.asString());
        return new User(id, key);
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().baseUri(stack.url("admin")).header("Authorization", "Bearer " + stack.adminKey);
    }

    /** A prompt of {@link #PROMPT_CHARS} characters, different each time: no answer comes from the response cache. */
    private static String prompt() {
        return "hello " + UUID.randomUUID().toString().substring(0, 8);
    }

    static final int PROMPT_CHARS = 14;

    private static String body(boolean stream, int maxTokens) {
        return "{\"model\":\"fake/fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt()
                + "\"}],\"max_tokens\":" + maxTokens + (stream ? ",\"stream\":true" : "") + "}";
    }

    private static HttpRequest chat(String edge, User u, boolean stream, int maxTokens) {
        return HttpRequest.newBuilder(URI.create(edge + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + u.key()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body(stream, maxTokens))).build();
    }

    private static HttpResponse<String> send(String edge, User u) throws Exception {
        return http.send(chat(edge, u, false, 10), HttpResponse.BodyHandlers.ofString());
    }

    private static List<HttpResponse<String>> concurrently(User u, int n, boolean stream, int maxTokens) {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(http.sendAsync(chat(stack.edgeUrl(), u, stream, maxTokens), HttpResponse.BodyHandlers.ofString()));
        }
        return all.stream().map(CompletableFuture::join).toList();
    }

    /** The edge's quota decision counters, for failure messages. */
    private static String decisions() {
        return decisions(stack.edgeUrl());
    }

    private static String decisions(String edge) {
        return given().baseUri(edge).get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("aigw_quota_decisions_total") || l.startsWith("aigw_quota_lease"))
                .map(l -> l.replaceAll(" # .*", "")).toList().toString();
    }

    /** The caller's own usage (GET /api/v1/ai/usage). */
    private static JsonPath usage(User u) {
        Response r = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + u.key()).get("/api/v1/ai/usage");
        assertEquals(200, r.statusCode(), r.asString());
        return r.jsonPath();
    }

    private static Map<String, Object> limit(JsonPath usage, String window, String metric) {
        return usage.getMap("limits.find { it.window == '" + window + "' && it.metric == '" + metric + "' }");
    }

    private static long num(Map<String, Object> row, String field) {
        return new BigDecimal(String.valueOf(row.get(field))).longValueExact();
    }

    @Test
    void aHundredConcurrentRequestsOnABudgetOfTenGiveExactlyTenAnswers() throws Exception {
        User u = user("race", "{\"requestsPerDay\":10}");
        List<HttpResponse<String>> all = concurrently(u, 100, false, 10);
        List<HttpResponse<String>> ok = all.stream().filter(r -> r.statusCode() == 200).toList();
        List<HttpResponse<String>> refused = all.stream().filter(r -> r.statusCode() == 429).toList();
        assertEquals(10, ok.size(), "statuses: " + all.stream().map(HttpResponse::statusCode).toList() + "; " + decisions());
        assertEquals(90, refused.size());
        for (HttpResponse<String> r : ok) {
            assertEquals("10", r.headers().firstValue("x-ratelimit-limit-requests").orElse(null));
            assertTrue(r.headers().firstValue("x-ratelimit-reset-requests").isPresent());
        }
        for (HttpResponse<String> r : refused) {
            long retryAfter = Long.parseLong(r.headers().firstValue("retry-after").orElse("0"));
            assertTrue(retryAfter >= 1 && retryAfter <= 86_400, "retry-after " + retryAfter);
            assertEquals("10", r.headers().firstValue("x-ratelimit-limit-requests").orElse(null));
            assertEquals("0", r.headers().firstValue("x-ratelimit-remaining-requests").orElse(null));
            assertTrue(r.headers().firstValue("x-ratelimit-reset-requests").isPresent());
            JsonNode error = MAPPER.readTree(r.body()).get("error");
            assertEquals("insufficient_quota", error.get("code").asText(), r.body());
        }

        // the user's own view: every answer settled (used 10, nothing reserved) and, once the usage events are
        // stored, today's totals say the same
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonPath usage = usage(u);
            Map<String, Object> day = limit(usage, "day", "requests");
            assertEquals(10, num(day, "limit"));
            assertEquals(10, num(day, "used"), usage.prettify());
            assertEquals(0, num(day, "reserved"));
            assertEquals(0, num(day, "remaining"));
            assertNotNull(day.get("resetsAt"));
            assertEquals(10, usage.getLong("today.requests"), usage.prettify());
            assertEquals(u.id(), usage.getString("userId"));
        });

        // an admin reset lets the user through again
        Response reset = admin().contentType("application/json").body("{\"windows\":[\"day\"]}")
                .post("/api/v1/ai/admin/quotas/users/" + u.id() + "/reset");
        assertEquals(200, reset.statusCode(), reset.asString());
        assertEquals(200, send(stack.edgeUrl(), u).statusCode());
    }

    @Test
    void leasesOnTwoEdgesNeverAdmitMoreThanTheBudget() throws Exception {
        // 200 a day: far enough from the limit for leases (up to 200 / 16 = 12 requests), which shrink as it nears
        User u = user("lease-race", "{\"requestsPerDay\":200}");
        double leasedBefore = leased(stack.edgeUrl()) + leased(stack.secondEdgeUrl());
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String edge = i % 2 == 0 ? stack.edgeUrl() : stack.secondEdgeUrl();
            pending.add(http.sendAsync(chat(edge, u, false, 10), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = pending.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
        long admitted = statuses.stream().filter(s -> s == 200).count();
        String why = statuses + "; " + decisions(stack.edgeUrl()) + decisions(stack.secondEdgeUrl());
        assertEquals(400 - admitted, statuses.stream().filter(s -> s == 429).count(), why);
        // never more than the budget; fewer only by slots another edge's lease still held when the burst ended
        // (a lease takes at most 1/16 of what is left), and those come back when it closes
        assertTrue(admitted <= 200 && admitted >= 200 - 2 * 12, "admitted " + admitted + ": " + why);
        assertTrue(leased(stack.edgeUrl()) + leased(stack.secondEdgeUrl()) > leasedBefore,
                "some requests were admitted from leases");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertEquals(0, num(limit(usage(u), "day", "requests"), "reserved"), "every lease closed, every slot settled"));
        for (int i = 0; admitted < 200 && i < 50; i++) {
            int status = send(i % 2 == 0 ? stack.edgeUrl() : stack.secondEdgeUrl(), u).statusCode();
            assertTrue(status == 200, "the rest of the budget is there after the burst: " + status + " after " + admitted);
            admitted++;
        }
        assertEquals(429, send(stack.edgeUrl(), u).statusCode(), "exactly the budget");
        assertEquals(429, send(stack.secondEdgeUrl(), u).statusCode());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonPath usage = usage(u);
            Map<String, Object> day = limit(usage, "day", "requests");
            assertEquals(200, num(day, "used"), usage.prettify());
            assertEquals(0, num(day, "reserved"));
            assertEquals(200, usage.getLong("today.requests"));
        });
    }

    private static double leased(String edge) {
        return given().baseUri(edge).get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("aigw_quota_lease_requests_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void concurrentStreamsNeverSpendMoreThanTheBudgetPlusOneReservation() throws Exception {
        BigDecimal budget = new BigDecimal("0.0002");
        User u = user("spend", "{\"spendUsdPerDay\":\"" + budget.toPlainString() + "\"}");
        int maxTokens = 20;
        List<HttpResponse<String>> all = concurrently(u, 100, true, maxTokens);
        long ok = all.stream().filter(r -> r.statusCode() == 200).count();
        List<HttpResponse<String>> refused = all.stream().filter(r -> r.statusCode() == 429).toList();
        assertEquals(100, ok + refused.size(), "statuses: " + all.stream().map(HttpResponse::statusCode).toList());
        assertTrue(ok >= 1 && !refused.isEmpty(), ok + " streamed");
        for (HttpResponse<String> r : refused) {
            assertEquals("insufficient_quota", MAPPER.readTree(r.body()).at("/error/code").asText());
        }
        for (HttpResponse<String> r : all) {
            if (r.statusCode() == 200) {
                assertTrue(r.body().contains("data: [DONE]"), "a whole stream");
            }
        }
        // what the edge reserves for one request: ceil(14 characters / 3) + 4 prompt tokens, max_tokens completion
        // tokens, at the dearest candidate's prices (fake/fake-chat: 0.0015 and 0.002 per 1K)
        BigDecimal oneReservation = new BigDecimal("0.0015").multiply(BigDecimal.valueOf((PROMPT_CHARS + 2) / 3 + 4))
                .add(new BigDecimal("0.002").multiply(BigDecimal.valueOf(maxTokens)))
                .divide(BigDecimal.valueOf(1000));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> recorded(u.id()).count() == ok);
        Recorded rec = recorded(u.id());
        assertTrue(rec.spend().compareTo(budget.add(oneReservation)) <= 0,
                "recorded " + rec.spend() + " > budget " + budget + " + one reservation " + oneReservation);
        assertTrue(rec.spend().signum() > 0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(0, new BigDecimal(String.valueOf(limit(usage(u), "day", "spendUsd").get("reserved")))
                        .signum(), "every stream settled"));
    }

    record Recorded(long count, BigDecimal spend) {
    }

    private static Recorded recorded(String userId) throws Exception {
        try (Connection c = stack.db(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*), coalesce(sum(cost_usd), 0) FROM usage.usage_records WHERE user_id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Recorded(rs.getLong(1), rs.getBigDecimal(2));
            }
        }
    }

    private static void reservationsBackToZero(User u) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonPath usage = usage(u);
            assertEquals(0, num(limit(usage, "day", "requests"), "reserved"), usage.prettify());
            Map<String, Object> tokens = limit(usage, "day", "tokens");
            if (tokens != null) {
                assertEquals(0, num(tokens, "reserved"), usage.prettify());
            }
        });
    }

    private static long used(User u, String metric) {
        return num(limit(usage(u), "day", metric), "used");
    }

    @Test
    void reservationsReturnToZeroAfterJsonStreamedAbortedAndFailedRequests() throws Exception {
        User u = user("settle", "{\"requestsPerDay\":1000,\"tokensPerDay\":1000000}");

        assertEquals(200, send(stack.edgeUrl(), u).statusCode());
        reservationsBackToZero(u);
        assertEquals(1, used(u, "requests"));
        long tokensAfterJson = used(u, "tokens");
        assertTrue(tokensAfterJson > 0);

        HttpResponse<String> streamed = http.send(chat(stack.edgeUrl(), u, true, 10), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, streamed.statusCode());
        reservationsBackToZero(u);
        assertEquals(2, used(u, "requests"));

        // a client that leaves after the first chunk of a slow stream
        stack.fakeControl("fake", Map.of("model", "fake-chat", "chunks", 30, "chunkDelayMs", 200, "ttftMs", 0));
        HttpResponse<InputStream> slow = http.send(chat(stack.edgeUrl(), u, true, 50), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, slow.statusCode());
        try (InputStream in = slow.body()) {
            assertTrue(in.read(new byte[64]) > 0);
        }
        reservationsBackToZero(u);
        long afterAbort = used(u, "requests");
        assertTrue(afterAbort >= 2 && afterAbort <= 3, "an aborted stream counts once at most: " + afterAbort);

        // a request every provider fails: nothing charged
        stack.fakeControl("fake", Map.of("model", "fake-chat", "errorRate", 1.0, "errorStatus", 500));
        HttpResponse<String> failed = send(stack.edgeUrl(), u);
        assertTrue(failed.statusCode() >= 500, "failed: " + failed.statusCode());
        reservationsBackToZero(u);
        assertEquals(afterAbort, used(u, "requests"), "a failed request is charged nothing");
    }

    @Test
    void countersAreRebuiltFromPostgresAfterARedisFlush() throws Exception {
        User u = user("flush", "{\"requestsPerDay\":5}");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, send(stack.edgeUrl(), u).statusCode());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> recorded(u.id()).count() == 3);
        try (RedisCommands redis = new RedisCommands(E2eStack.REDIS)) {
            assertTrue(redis.deleteMatching(stack.quotaPrefix() + "*") > 0, "quota keys were there");
            // usage-service notices the missing ready marker and loads limits and counters again
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> Long.valueOf(1).equals(redis.call("EXISTS", stack.quotaPrefix() + "ready")));
        }
        assertEquals(3, used(u, "requests"), "rebuilt from the three stored usage records");
        assertEquals(200, send(stack.edgeUrl(), u).statusCode());
        assertEquals(200, send(stack.edgeUrl(), u).statusCode());
        HttpResponse<String> sixth = send(stack.edgeUrl(), u);
        assertEquals(429, sixth.statusCode(), "the rebuilt counters enforce the budget: " + sixth.body());
    }

    @Test
    void twoEdgesShareTheSameLimits() throws Exception {
        String second = stack.secondEdgeUrl();
        User u = user("two-edges", "{\"requestsPerDay\":6}");
        for (int i = 0; i < 6; i++) {
            String edge = i % 2 == 0 ? stack.edgeUrl() : second;
            assertEquals(200, send(edge, u).statusCode(), "request " + i + " on " + edge);
        }
        assertEquals(429, send(second, u).statusCode());
        assertEquals(429, send(stack.edgeUrl(), u).statusCode());
    }

    @Test
    void withRedisDownTheLocalLimitAppliesAndNothingIsChargedTwice() throws Exception {
        int localLimit = 4;
        URI redisUri = URI.create(E2eStack.REDIS);
        try (TcpProxy proxy = new TcpProxy(redisUri.getHost(), redisUri.getPort())) {
            int port = stack.startEdge("gateway-edge-redis-proxied", Map.of(
                    "QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:" + proxy.port() + redisUri.getPath(),
                    "AIGW_QUOTA_LOCAL_RPM", Integer.toString(localLimit)));
            String edge = "http://127.0.0.1:" + port;
            User u = user("redis-down", "{\"requestsPerDay\":100}");
            HttpResponse<String> viaRedis = send(edge, u);
            assertEquals(200, viaRedis.statusCode());
            assertEquals("100", viaRedis.headers().firstValue("x-ratelimit-limit-requests").orElse(null));
            reservationsBackToZero(u);

            // the local limit counts per calendar minute: do not straddle one
            long msToNextMinute = 60_000 - Instant.now().toEpochMilli() % 60_000;
            if (msToNextMinute < 15_000) {
                Thread.sleep(msToNextMinute + 200);
            }
            proxy.cut();
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> last = null;
            for (int i = 0; i < localLimit + 2; i++) {
                last = send(edge, u);
                statuses.add(last.statusCode());
            }
            assertEquals(localLimit, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(2, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
            assertEquals("rate_limit_exceeded", MAPPER.readTree(last.body()).at("/error/code").asText());
            assertEquals(Integer.toString(localLimit), last.headers().firstValue("x-ratelimit-limit-requests").orElse(null));

            proxy.resume();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                HttpResponse<String> r = send(edge, u);
                return r.statusCode() == 200 && "100".equals(r.headers().firstValue("x-ratelimit-limit-requests").orElse(null));
            });
            reservationsBackToZero(u);
            // served: one before the outage, the local ones, one after it; Redis counted the two it admitted (the
            // local ones are not replayed into it; usage-service's reconcile may add them from PostgreSQL, never more)
            long served = 2 + localLimit;
            await().atMost(Duration.ofSeconds(30)).until(() -> recorded(u.id()).count() == served);
            long used = used(u, "requests");
            assertTrue(used >= 2 && used <= served, "used " + used + " of " + served + " served");
            assertFalse(statuses.stream().anyMatch(s -> s >= 500), "no 5xx while Redis is down: " + statuses);
        }
    }
}
