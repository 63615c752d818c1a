package io.aigateway.usage.health;

import io.aigateway.contracts.internal.AigwHeaders;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.testsupport.TcpProxy;
import io.aigateway.usage.records.service.UsageIngestService;
import io.aigateway.usage.testsupport.PostgresProxyProfile;
import io.aigateway.usage.testsupport.UsageTopic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * usage-service cannot work without PostgreSQL: readiness must go DOWN when it disappears, and an event
 * consumed during the outage must be stored once PostgreSQL is back (retried, not acked, not lost), and its
 * offsets committed only then.
 */
@QuarkusTest
@TestProfile(PostgresProxyProfile.class)
class ReadinessTest {

    private static final String TOKEN = "test-internal-token";
    private static final ObjectMapper JSON = Json.newMapper();

    TcpProxy proxy; // injected by PostgresProxyResource

    @Inject
    MeterRegistry registry;

    @Inject
    UsageIngestService ingest;

    @Test
    void readinessFollowsPostgresAndEventsSurviveTheOutage() throws Exception {
        assertNotNull(proxy, "proxy injected");
        // UP first (the Kafka consumer may need a moment to connect after start).
        awaitReadiness(200, Duration.ofSeconds(30), "ready before the cut");
        given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("Reactive PostgreSQL connections health check"))
                .body(containsString("Kafka broker"))
                .body(containsString("usage-in"));

        proxy.cut();

        awaitReadiness(503, Duration.ofSeconds(10), "not ready once PostgreSQL is unreachable");
        given().get("/q/health/ready").then().statusCode(503).body(containsString("DOWN"));
        // Liveness is not about dependencies.
        given().get("/q/health/live").then().statusCode(200);

        // A batch arriving while PostgreSQL is down is held and retried, not acked, then stored when it is back.
        double retriesBefore = dbRetries();
        String user = "u-outage-" + UUID.randomUUID();
        List<UsageEvent> events = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            UsageEvent event = new UsageEvent(UUID.randomUUID(), "req-outage-" + i,
                    Instant.now().truncatedTo(ChronoUnit.MICROS), user, "k", "default", "chat-default", "fake",
                    "fake-chat", "cost", 1, 2, 3, false, new BigDecimal("0.000001"), null, 10, null, false, false,
                    UsageEvent.Outcome.SUCCESS, null, List.of());
            events.add(event);
            values.add(JSON.writeValueAsString(event));
        }
        RecordMetadata last = UsageTopic.sendBatch(user, values);
        TopicPartition partition = new TopicPartition(last.topic(), last.partition());
        // the consumer picks the batch up and fails a few times (each back-off longer than the commit interval)
        await("inserts retried while PostgreSQL is down").atMost(Duration.ofSeconds(30))
                .until(() -> dbRetries() >= retriesBefore + 3);
        assertTrue(UsageTopic.committedOffset(partition) <= last.offset() - values.size() + 1,
                "nothing of the batch is committed while it is not stored");

        proxy.resume();
        awaitReadiness(200, Duration.ofSeconds(30), "ready again once PostgreSQL is back");

        await("batch stored after the outage").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("userId", user)
                        .get("/internal/v1/usage").then().statusCode(200).extract().asString(),
                        body -> events.stream().allMatch(e -> body.contains(e.eventId().toString())));
        await("batch committed once stored").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> UsageTopic.committedOffset(partition), offset -> offset == last.offset() + 1);
        given().get("/q/metrics").then().statusCode(200).body(containsString("aigw_usage_db_retries_total"));
    }

    @Test
    void theRowByRowStoreAlsoWaitsForPostgres() throws Exception {
        // the fallback path of a batch PostgreSQL rejected: one event at a time, transient failures retried too
        awaitReadiness(200, Duration.ofSeconds(30), "ready before the cut");
        assertEquals(List.of(), ingest.storeAll(List.of()).await().atMost(Duration.ofSeconds(5)));
        UsageEvent event = new UsageEvent(UUID.randomUUID(), "req-single-outage",
                Instant.now().truncatedTo(ChronoUnit.MICROS), "u-single-outage-" + UUID.randomUUID(), "k", "default",
                "chat-default", "fake", "fake-chat", "cost", 1, 2, 3, false, new BigDecimal("0.000001"), null, 10,
                null, false, false, UsageEvent.Outcome.SUCCESS, null, List.of());
        double retriesBefore = dbRetries();
        proxy.cut();
        CompletableFuture<Boolean> stored;
        try {
            stored = ingest.store(event).subscribeAsCompletionStage();
            await("single insert retried while PostgreSQL is down").atMost(Duration.ofSeconds(30))
                    .until(() -> dbRetries() >= retriesBefore + 2);
            assertFalse(stored.isDone(), "not done while PostgreSQL is down");
        } finally {
            proxy.resume();
        }
        assertTrue(stored.get(30, TimeUnit.SECONDS), "stored once PostgreSQL is back");
        assertFalse(ingest.store(event).await().atMost(Duration.ofSeconds(30)), "a second time: a duplicate");
        awaitReadiness(200, Duration.ofSeconds(30), "ready again");
    }

    private static void awaitReadiness(int wanted, Duration timeout, String what) {
        await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                .until(() -> given().get("/q/health/ready").statusCode(), status -> status == wanted);
    }

    private double dbRetries() {
        Counter c = registry.find("aigw.usage.db.retries").counter();
        return c == null ? 0 : c.count();
    }
}
