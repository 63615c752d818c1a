package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.Json;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/** The hot path across all five services: request IDs, usage rows, fallback and streaming. */
class ChatFlowIT {

    private static E2eStack stack;
    private final ObjectMapper mapper = Json.newMapper();

    @BeforeAll
    static void up() {
        stack = E2eStack.get();
    }

    @BeforeEach
    void reset() throws Exception {
        stack.fakeReset();
        stack.resetBreakers();
    }

    private static String body(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":\"tell me about request " + UUID.randomUUID() + " please\"}]}";
    }

    @Test
    void completionCarriesOneRequestIdThroughEveryHopIntoTheUsageRow() throws Exception {
        String requestId = "e2e-" + UUID.randomUUID();
        Response r = given().baseUri(stack.edgeUrl())
                .header("Authorization", "Bearer " + stack.userKey)
                .header("X-Request-Id", requestId)
                .contentType(ContentType.JSON).body(body("fake/fake-chat", false))
                .post("/v1/chat/completions");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(requestId, r.header("x-request-id"));
        assertEquals("fake", r.header("x-aigw-provider"));
        JsonNode json = mapper.readTree(r.asString());
        assertEquals("chat.completion", json.get("object").asText());
        int prompt = json.at("/usage/prompt_tokens").asInt();
        int completion = json.at("/usage/completion_tokens").asInt();
        assertTrue(prompt > 0 && completion > 0);

        // the fake provider saw the same request ID (edge -> routing -> adapter -> provider)
        JsonNode stats = stack.fakeStats();
        assertTrue(stats.toString().contains(requestId), "fake provider stats lack " + requestId + ": " + stats);

        UsageRow row = awaitUsageRow(requestId);
        assertEquals(stack.userId, row.userId);
        assertEquals("SUCCESS", row.outcome);
        assertEquals("fake", row.provider);
        assertEquals(prompt, row.promptTokens);
        assertEquals(completion, row.completionTokens);
        assertEquals(0, expectedCost("fake", prompt, completion).compareTo(row.costUsd),
                "cost " + row.costUsd + " for " + prompt + "/" + completion);
    }

    @Test
    void tokenCountsVaryAndCostFollowsThem() throws Exception {
        List<Integer> completions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String requestId = "e2e-vary-" + UUID.randomUUID();
            Response r = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                    .header("X-Request-Id", requestId).contentType(ContentType.JSON)
                    .body(body("fake/fake-chat", false)).post("/v1/chat/completions");
            assertEquals(200, r.statusCode(), r.asString());
            int p = r.jsonPath().getInt("usage.prompt_tokens");
            int c = r.jsonPath().getInt("usage.completion_tokens");
            completions.add(c);
            UsageRow row = awaitUsageRow(requestId);
            assertEquals(0, expectedCost("fake", p, c).compareTo(row.costUsd));
        }
        assertTrue(completions.stream().distinct().count() > 1, "token counts never varied: " + completions);
    }

    @Test
    void whenTheFirstProviderFailsTheSecondAnswersAndAttemptsShowTheFirstError() throws Exception {
        // the chat model only: an upstream-wide error also fails the adapter's health probe, which would take the
        // provider out of rotation for the tests that run next
        stack.fakeControl("fake", Map.of("model", "fake-chat", "errorRate", 1.0, "errorStatus", 500));
        long before = calls("fake");
        long beforeB = calls("fakeb");
        String requestId = "e2e-fallback-" + UUID.randomUUID();
        Response r = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                .header("X-Request-Id", requestId).contentType(ContentType.JSON)
                .body(body("chat-default", false)).post("/v1/chat/completions");
        assertEquals(200, r.statusCode(), r.asString());
        int tries = 1 + E2eStack.RETRIES;
        assertEquals("fakeb", r.header("x-aigw-provider"));
        assertEquals(Integer.toString(tries + 1), r.header("x-aigw-attempts"));
        assertEquals(before + tries, calls("fake"), "the failing provider really received every try");
        assertEquals(beforeB + 1, calls("fakeb"));

        UsageRow row = awaitUsageRow(requestId);
        assertEquals("fakeb", row.provider);
        JsonNode attempts = mapper.readTree(row.attemptsJson);
        assertEquals(tries + 1, attempts.size(), row.attemptsJson);
        for (int i = 0; i < tries; i++) {
            assertEquals("fake", attempts.get(i).get("provider").asText());
            assertEquals("UPSTREAM_5XX", attempts.get(i).get("errorClass").asText());
            assertEquals(500, attempts.get(i).get("status").asInt());
        }
        assertEquals("fakeb", attempts.get(tries).get("provider").asText());
        assertFalse(attempts.get(tries).hasNonNull("errorClass"), row.attemptsJson);
        int p = r.jsonPath().getInt("usage.prompt_tokens");
        int c = r.jsonPath().getInt("usage.completion_tokens");
        assertEquals(0, expectedCost("fakeb", p, c).compareTo(row.costUsd));
    }

    @Test
    void whenEveryProviderFailsTheClientGets502ListingTheAttempts() throws Exception {
        stack.fakeControl("fake", Map.of("model", "fake-chat", "errorRate", 1.0, "errorStatus", 503));
        stack.fakeControl("fakeb", Map.of("model", "fake-chat", "errorRate", 1.0, "errorStatus", 500));
        String requestId = "e2e-allfail-" + UUID.randomUUID();
        Response r = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                .header("X-Request-Id", requestId).contentType(ContentType.JSON)
                .body(body("chat-default", false)).post("/v1/chat/completions");
        assertEquals(502, r.statusCode(), r.asString());
        assertEquals(Integer.toString(2 * (1 + E2eStack.RETRIES)), r.header("x-aigw-attempts"));
        String message = r.jsonPath().getString("error.message");
        assertTrue(message.contains("fake") && message.contains("fakeb"), message);
        UsageRow row = awaitUsageRow(requestId);
        assertEquals("ERROR", row.outcome);
    }

    @Test
    void aStreamReachesTheClientChunkByChunk() throws Exception {
        stack.fakeControl("fake", Map.of("chunks", 5, "chunkDelayMs", 200, "ttftMs", 0));
        String requestId = "e2e-stream-" + UUID.randomUUID();
        HttpRequest req = HttpRequest.newBuilder(URI.create(stack.edgeUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + stack.userKey)
                .header("X-Request-Id", requestId)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body("fake/fake-chat", true))).build();
        long t0 = System.nanoTime();
        HttpResponse<Stream<String>> resp = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, resp.statusCode());
        assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<long[]> contentArrivals = new ArrayList<>();
        List<String> data = new ArrayList<>();
        resp.body().forEach(line -> {
            if (line.startsWith("data: ")) {
                String d = line.substring(6);
                data.add(d);
                if (d.contains("\"content\":\"") && !d.contains("\"content\":\"\"")) {
                    contentArrivals.add(new long[]{(System.nanoTime() - t0) / 1_000_000});
                }
            }
        });
        assertEquals("[DONE]", data.get(data.size() - 1));
        assertTrue(data.stream().noneMatch(d -> d.contains("\"usage\":{")), "usage chunk stripped: client did not ask");
        assertEquals(5, contentArrivals.size(), String.join("\n", data));
        long first = contentArrivals.get(0)[0];
        long last = contentArrivals.get(contentArrivals.size() - 1)[0];
        assertTrue(last - first >= 600, "chunks arrived together: first " + first + " ms, last " + last + " ms");

        UsageRow row = awaitUsageRow(requestId);
        assertTrue(row.streamed);
        assertEquals(5, row.completionTokens);
    }

    @Test
    void theSameEventProducedTwiceLeavesOneRow() throws Exception {
        UUID eventId = UUID.randomUUID();
        String dupRequest = "e2e-dup-" + eventId;
        String sentinelRequest = "e2e-sentinel-" + UUID.randomUUID();
        String event = usageEventJson(eventId, dupRequest);
        String sentinel = usageEventJson(UUID.randomUUID(), sentinelRequest);
        try (var producer = KafkaSupport.producer(stack.kafka)) {
            producer.send(KafkaSupport.record(stack.userId, event)).get();
            producer.send(KafkaSupport.record(stack.userId, event)).get();
            producer.send(KafkaSupport.record(stack.userId, sentinel)).get();
        }
        // same key => same partition => the sentinel is consumed after both copies
        awaitUsageRow(sentinelRequest);
        try (Connection c = stack.db(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from usage.usage_records where event_id = ?")) {
            ps.setObject(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    private String usageEventJson(UUID eventId, String requestId) {
        return "{\"eventId\":\"" + eventId + "\",\"requestId\":\"" + requestId + "\",\"occurredAt\":\"2026-11-26T00:00:00Z\","
                + "\"userId\":\"" + stack.userId + "\",\"keyId\":\"k\",\"context\":\"default\",\"requestedModel\":\"chat-default\","
                + "\"provider\":\"fake\",\"model\":\"fake-chat\",\"policy\":\"cost\",\"promptTokens\":3,\"completionTokens\":4,"
                + "\"totalTokens\":7,\"usageEstimated\":false,\"costUsd\":0.0000125000,\"latencyMs\":5,\"streamed\":false,"
                + "\"cached\":false,\"outcome\":\"SUCCESS\",\"attempts\":[]}";
    }

    private long calls(String upstream) throws Exception {
        return stack.fakeStats().path("upstreams").path(upstream).path("calls").asLong(0);
    }

    static BigDecimal expectedCost(String provider, int prompt, int completion) {
        String[] prices = E2eStack.FAKE_CHAT_PRICES.get(provider);
        return new BigDecimal(prices[0]).multiply(BigDecimal.valueOf(prompt))
                .add(new BigDecimal(prices[1]).multiply(BigDecimal.valueOf(completion)))
                .divide(BigDecimal.valueOf(1000), 10, RoundingMode.HALF_UP);
    }

    record UsageRow(String userId, String provider, String outcome, int promptTokens, int completionTokens,
                    BigDecimal costUsd, boolean streamed, String attemptsJson) {
    }

    static UsageRow awaitUsageRow(String requestId) {
        E2eStack stack = E2eStack.get();
        try {
            return await("usage row for request " + requestId).atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(200)).until(() -> usageRow(stack, requestId), Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            return fail("no usage row for request " + requestId + "\nrouting log:\n" + stack.tail("routing-service")
                    + "\nusage log:\n" + stack.tail("usage-service"));
        }
    }

    private static UsageRow usageRow(E2eStack stack, String requestId) throws Exception {
        try (Connection c = stack.db(); PreparedStatement ps = c.prepareStatement(
                "select user_id, provider, outcome, prompt_tokens, completion_tokens, cost_usd, streamed, attempts::text "
                        + "from usage.usage_records where request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new UsageRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                        rs.getBigDecimal(6), rs.getBoolean(7), rs.getString(8)) : null;
            }
        }
    }
}
