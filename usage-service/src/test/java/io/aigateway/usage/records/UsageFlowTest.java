package io.aigateway.usage.records;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.usage.Topics;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.records.rest.UsagePage;
import io.aigateway.usage.testsupport.UsageTopic;
import io.aigateway.usage.tracing.TestSpans;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Kafka (ai.usage.v1) → usage-service → real PostgreSQL → GET /internal/v1/usage. */
@QuarkusTest
class UsageFlowTest {

    private static final String TOKEN = "test-internal-token";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = Json.newMapper();
    private static KafkaProducer<String, String> producer;

    @Inject
    Pool pool;

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void storesEveryFieldAndServesNewestFirst() throws Exception {
        String user = "u-full-" + RUN;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UsageEvent older = new UsageEvent(UUID.randomUUID(), "req-old-" + RUN, now.minusSeconds(60), user, "key-1",
                "writing", "chat-default", "fake", "fake-chat", "cost", 12, 34, 46, false,
                new BigDecimal("0.0012345678"), new BigDecimal("0.5"), 812, 120L, true, false,
                UsageEvent.Outcome.SUCCESS, null,
                List.of(new UsageEvent.Attempt("fakeb", "fake-chat", "UPSTREAM_5XX", 503, 40),
                        new UsageEvent.Attempt("fake", "fake-chat", null, null, 700)));
        UsageEvent newer = new UsageEvent(UUID.randomUUID(), "req-new-" + RUN, now, user, "key-1",
                "default", "fake/fake-chat-large", null, null, "latency", 0, 0, 0, true,
                BigDecimal.ZERO, null, 30001, null, false, false,
                UsageEvent.Outcome.ERROR, "TIMEOUT",
                List.of(new UsageEvent.Attempt("fake", "fake-chat-large", "TIMEOUT", null, 30000)));

        send(user, JSON.writeValueAsString(older));
        send(user, JSON.writeValueAsString(newer));

        List<UsageEvent> data = awaitRecords(user, null, list -> list.size() >= 2);
        assertEquals(List.of(newer, older), data, "newest first, every field as produced");

        String raw = given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN)
                .queryParam("userId", user).queryParam("limit", 1)
                .get("/internal/v1/usage")
                .then().statusCode(200).extract().asString();
        assertTrue(raw.contains("\"costUsd\":0"), raw);
        assertEquals(List.of(newer), JSON.readValue(raw, UsagePage.class).data(), "limit=1 gives the newest");

        String byRequest = given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN)
                .queryParam("userId", user).queryParam("requestId", older.requestId())
                .get("/internal/v1/usage")
                .then().statusCode(200).extract().asString();
        assertTrue(byRequest.contains("\"costUsd\":0.0012345678"), byRequest);
        assertTrue(byRequest.contains("\"attempts\":[{"), byRequest);
        UsageEvent stored = JSON.readValue(byRequest, UsagePage.class).data().get(0);
        assertEquals(older, stored);
        assertEquals(new BigDecimal("0.0012345678"), stored.costUsd());
    }

    @Test
    void sameEventTwiceIsStoredOnce() throws Exception {
        String user = "u-dup-" + RUN;
        UsageEvent dup = event(user, "req-dup-" + RUN);
        String json = JSON.writeValueAsString(dup);
        send(user, json);
        send(user, json);
        // Same key ⇒ same partition ⇒ processed in order: once the marker is stored, both copies were handled.
        UsageEvent marker = event(user, "req-dup-marker-" + RUN);
        send(user, JSON.writeValueAsString(marker));

        List<UsageEvent> data = awaitRecords(user, null,
                list -> list.stream().anyMatch(e -> e.eventId().equals(marker.eventId())));
        assertEquals(1, data.stream().filter(e -> e.eventId().equals(dup.eventId())).count());
        long rows = pool.preparedQuery("SELECT count(*) FROM usage.usage_records WHERE event_id = $1")
                .execute(Tuple.of(dup.eventId()))
                .map(r -> r.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(1L, rows);

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("aigw_usage_events_duplicate_total"))
                .body(containsString("aigw_usage_events_inserted_total"))
                .body(containsString("aigw_usage_events_consumed_total"));
    }

    @Test
    void badRecordsGoToTheDlqAndTheChannelKeepsGoing() throws Exception {
        String user = "u-bad-" + RUN;
        String notJson = "{\"requestId\": \"broken-" + RUN + "\", oops";
        String missingUser = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"occurredAt\":\"2024-01-01T00:00:00Z\","
                + "\"outcome\":\"SUCCESS\",\"requestId\":\"invalid-" + RUN + "\"}";
        String badNumber = JSON.writeValueAsString(event(user, "req-huge-" + RUN))
                .replaceFirst("\"costUsd\":[0-9.]+", "\"costUsd\":1e12");
        send(user, notJson);
        send(user, missingUser);
        send(user, badNumber);
        UsageEvent good = event(user, "req-good-" + RUN);
        send(user, JSON.writeValueAsString(good));

        List<UsageEvent> data = awaitRecords(user, null, list -> !list.isEmpty());
        assertEquals(List.of(good), data, "the good record after the bad ones is stored, the bad ones are not");

        Set<String> wanted = new HashSet<>(Set.of("broken-" + RUN, "invalid-" + RUN, "req-huge-" + RUN));
        UsageTopic.awaitInDlq(wanted);

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("aigw_usage_events_dead_lettered_total"));
    }

    @Test
    void oddTextIsStoredNotDeadLettered() throws Exception {
        // NUL cannot be stored in PostgreSQL text or jsonb, nor an unpaired surrogate in jsonb: without the
        // sanitizer this record went to the DLQ and the usage was lost
        String user = "u-odd-" + RUN;
        String huge = "m".repeat(10_000);
        UsageEvent odd = new UsageEvent(UUID.randomUUID(), "req-odd-" + RUN, Instant.now().truncatedTo(ChronoUnit.MICROS),
                user, "key-3", "wri\u0000ting", huge, "fake", "fake\u0000chat\r\nINFO forged", "cost", 5, 7, 12, false,
                new BigDecimal("0.0000215"), null, 100, null, false, false, UsageEvent.Outcome.SUCCESS, null,
                List.of(new UsageEvent.Attempt("fake-LONE", "a\u0000b", null, null, 90)));
        // an unpaired surrogate survives Kafka's UTF-8 only as a JSON escape
        send(user, JSON.writeValueAsString(odd).replace("fake-LONE", "fake\\uD800"));

        List<UsageEvent> data = awaitRecords(user, null, list -> !list.isEmpty());
        assertEquals(1, data.size());
        UsageEvent stored = data.get(0);
        assertEquals(odd.eventId(), stored.eventId());
        assertEquals("wri\uFFFDting", stored.context());
        assertEquals("m".repeat(256), stored.requestedModel());
        assertEquals("fake\uFFFDchat\r\nINFO forged", stored.model(), "other characters are stored as sent");
        assertEquals(List.of(new UsageEvent.Attempt("fake\uFFFD", "a\uFFFDb", null, null, 90)), stored.attempts());
        assertEquals(12, stored.totalTokens());
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("aigw_usage_events_sanitized_total"));
    }

    @Test
    void internalTokenIsRequired() {
        given().queryParam("userId", "x").get("/internal/v1/usage")
                .then().statusCode(401)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.param", nullValue());
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN + "x").queryParam("userId", "x").get("/internal/v1/usage")
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().get("/q/health/live").then().statusCode(200);
        // each caller named by the resource gets through; routing-service is not one of them
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-admin-000").queryParam("userId", "x").get("/internal/v1/usage")
                .then().statusCode(200);
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-edge-0000").queryParam("userId", "x").get("/internal/v1/usage")
                .then().statusCode(200);
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-routing-0").queryParam("userId", "x").get("/internal/v1/usage")
                .then().statusCode(403).body("error.type", equalTo("permission_error"));
        // a ;parameter never reaches the resource
        given().urlEncodingEnabled(false).queryParam("userId", "x").get("/internal;x/v1/usage").then().statusCode(404);
    }

    @Test
    void badQueriesAre400() {
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).header(AigwHeaders.REQUEST_ID, "rid-" + RUN)
                .get("/internal/v1/usage")
                .then().statusCode(400)
                .header("X-Request-Id", "rid-" + RUN)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("userId"))
                .body("error.message", containsString("userId"));
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("userId", "x").queryParam("limit", "abc")
                .get("/internal/v1/usage")
                .then().statusCode(400).body("error.param", equalTo("limit"));
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("userId", "x").queryParam("limit", "0")
                .get("/internal/v1/usage")
                .then().statusCode(400).body("error.param", equalTo("limit"));
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).get("/internal/v1/nothing-here")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
    }

    @Test
    void traceIdIsStoredReturnedAndTheConsumerJoinsTheTrace() throws Exception {
        String user = "u-trace-" + RUN;
        String traceId = UUID.randomUUID().toString().replace("-", "");
        UsageEvent traced = event(user, "req-trace-" + RUN).withTraceId(traceId);
        UsageEvent bogus = event(user, "req-trace-bad-" + RUN).withTraceId("not-a-trace-id");
        UsageEvent old = event(user, "req-trace-none-" + RUN); // an event from before traces: still valid
        // the record as routing's connector writes it: the request's trace in the traceparent header
        sendTraced(user, JSON.writeValueAsString(traced), "00-" + traceId + "-00f067aa0ba902b7-01");
        send(user, JSON.writeValueAsString(bogus));
        send(user, JSON.writeValueAsString(old));

        List<UsageEvent> data = awaitRecords(user, null, list -> list.size() >= 3);
        assertEquals(traceId, byId(data, traced.eventId()).traceId());
        assertEquals(null, byId(data, bogus.eventId()).traceId(), "not a W3C trace id: not stored");
        assertEquals(null, byId(data, old.eventId()).traceId());
        String raw = given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("userId", user)
                .queryParam("requestId", traced.requestId()).get("/internal/v1/usage")
                .then().statusCode(200).extract().asString();
        assertTrue(raw.contains("\"traceId\":\"" + traceId + "\""), raw);
        String column = pool.preparedQuery("SELECT trace_id FROM usage.usage_records WHERE event_id = $1")
                .execute(Tuple.of(traced.eventId())).map(r -> r.iterator().next().getString(0))
                .await().atMost(Duration.ofSeconds(10));
        assertEquals(traceId, column);
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-admin-000")
                .get("/internal/v1/usage/requests/" + traced.requestId())
                .then().statusCode(200).body("records[0].traceId", equalTo(traceId));

        // usage-service's consumer span is part of the request's trace (Kafka record header)
        await().atMost(Duration.ofSeconds(10)).until(() -> !TestSpans.ofTrace(traceId).isEmpty());
    }

    private static UsageEvent byId(List<UsageEvent> events, UUID id) {
        return events.stream().filter(e -> e.eventId().equals(id)).findFirst().orElseThrow();
    }

    private static void sendTraced(String key, String value, String traceparent) throws Exception {
        send(key, null); // makes the producer
        ProducerRecord<String, String> r = new ProducerRecord<>(Topics.USAGE, key, value);
        r.headers().add("traceparent", traceparent.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        producer.send(r).get(30, TimeUnit.SECONDS);
    }

    private static UsageEvent event(String user, String requestId) {
        return new UsageEvent(UUID.randomUUID(), requestId, Instant.now().truncatedTo(ChronoUnit.MICROS), user,
                "key-2", "default", "chat-default", "fake", "fake-chat", "cost", 5, 7, 12, false,
                new BigDecimal("0.0000215"), null, 100, null, false, false, UsageEvent.Outcome.SUCCESS, null,
                List.of(new UsageEvent.Attempt("fake", "fake-chat", null, null, 90)));
    }

    private static synchronized void send(String key, String value) throws Exception {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, UsageTopic.bootstrap(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        }
        if (value != null) {
            producer.send(new ProducerRecord<>(Topics.USAGE, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Reads the user's records until {@code done} accepts them. The tests send every record of a user with the user as
     * key (one partition, handled in order) and wait for the last one sent, so the records before it were handled too.
     */
    private static List<UsageEvent> awaitRecords(String user, String requestId, Predicate<List<UsageEvent>> done) {
        return await("records for " + user).atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    var spec = given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("userId", user);
                    if (requestId != null) {
                        spec = spec.queryParam("requestId", requestId);
                    }
                    String body = spec.get("/internal/v1/usage").then().statusCode(200).extract().asString();
                    return JSON.readValue(body, UsagePage.class).data();
                }, done::test);
    }
}
