package io.aigateway.usage.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.quota.QuotaKeys.Window;
import io.aigateway.contracts.usage.Topics;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.testsupport.QuotaProfile;
import io.aigateway.usage.testsupport.UsageTopic;
import io.aigateway.usage.testsupport.WebhookRecorder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Budget alerts: a user with 5 requests a day crossing 4 (80 %) and 5 (100 %) through the real ingest path gives
 * exactly two alerts on ai.alerts.v1 and two webhook calls; a sixth request gives none.
 */
@QuarkusTest
@TestProfile(QuotaProfile.class)
class QuotaAlertsTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = Json.newMapper();

    @Inject
    Pool pool;
    @Inject
    io.quarkus.redis.datasource.RedisDataSource redisDs;
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "aigw.quota.prefix")
    String prefix;

    /** What routing's settle.lua does before each event is produced: the user's day counter counts the requests. */
    private void settled(String user, int requests) {
        redisDs.hash(String.class).hincrby(QuotaKeys.counter(prefix, QuotaKeys.userSubject(user), Window.DAY,
                Instant.now()), "req", requests);
    }

    @Test
    void eightyAndOneHundredPercentAlertOncePerWindow() throws Exception {
        String user = "u-alert-" + RUN;
        String subject = QuotaKeys.userSubject(user);
        given().header("X-Aigw-Internal-Token", "test-internal-token").contentType(ContentType.JSON)
                .body("{\"tier\":\"unlimited\",\"limits\":{\"requestsPerDay\":5}}")
                .put("/internal/v1/quotas/users/" + user).then().statusCode(200);

        String before = given().get("/q/metrics").then().statusCode(200).extract().asString();
        try (KafkaConsumer<String, String> consumer = alertsConsumer()) {
            List<JsonNode> alerts = new ArrayList<>();
            settled(user, 3);
            UsageTopic.sendBatch(user, List.of(event(user), event(user), event(user)));
            awaitStored(user, 3);
            settled(user, 1);
            UsageTopic.sendBatch(user, List.of(event(user)));
            awaitAlerts(consumer, subject, alerts, 1);
            assertEquals(80, alerts.get(0).get("threshold").asInt());

            settled(user, 1);
            UsageTopic.sendBatch(user, List.of(event(user)));
            awaitAlerts(consumer, subject, alerts, 2);
            JsonNode full = alerts.get(1);
            Instant now = Instant.now();
            assertEquals(100, full.get("threshold").asInt());
            assertEquals("quota_threshold", full.get("type").asText());
            assertEquals(user, full.get("userId").asText());
            assertEquals("unlimited", full.get("tier").asText());
            assertEquals("day", full.get("window").asText());
            assertEquals(Window.DAY.id(now), full.get("windowId").asText());
            assertEquals("requests", full.get("metric").asText());
            assertEquals(5, full.get("limit").asLong());
            assertEquals(5, full.get("used").asLong());
            assertEquals(Window.DAY.end(now).toString(), full.get("resetsAt").asText());

            // past 100 %: nothing more for this window
            settled(user, 1);
            UsageTopic.sendBatch(user, List.of(event(user)));
            awaitStored(user, 6);
            await("no third alert").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInSameThread()
                    .until(() -> {
                        poll(consumer, subject, alerts);
                        return alerts.size() == 2;
                    });
        }
        long rows = pool.preparedQuery("SELECT count(*) FROM usage.quota_alerts WHERE subject = $1")
                .execute(Tuple.of(subject)).await().indefinitely().iterator().next().getLong(0);
        assertEquals(2, rows);
        await("two webhook calls").atMost(Duration.ofSeconds(10))
                .until(() -> WebhookRecorder.BODIES.stream().filter(b -> b.contains("\"" + user + "\"")).count() == 2);
        // consumed back from ai.alerts.v1 into usage.alerts (alerts/): both listed as quota alerts of user:<id>
        await("two stored alerts").atMost(Duration.ofSeconds(30)).until(() -> given()
                .header("X-Aigw-Internal-Token", "test-internal-token").queryParam("subject", "user:" + user)
                .get("/internal/v1/alerts").then().statusCode(200).extract().jsonPath()
                .getList("rows.type"), types -> types.equals(List.of("quota_threshold", "quota_threshold")));
        JsonNode hook = JSON.readTree(WebhookRecorder.BODIES.stream().filter(b -> b.contains("\"" + user + "\""))
                .filter(b -> b.contains("\"threshold\":100")).findFirst().orElseThrow());
        assertEquals("requests", hook.get("metric").asText());

        String after = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String t : new String[] {"80", "100"}) {
            String series = "aigw_quota_budget_alerts_total{threshold=\"" + t + "\",window=\"day\"}";
            assertEquals(1.0, value(after, series) - value(before, series), series);
            String month = "aigw_quota_budget_alerts_total{threshold=\"" + t + "\",window=\"month\"}";
            assertEquals(value(before, month), value(after, month), "registered at zero: " + month);
        }
        // the Kafka client binder: the consumers of ai.usage.v1 (and the others) export their lag
        org.junit.jupiter.api.Assertions.assertTrue(after.contains("kafka_consumer_fetch_manager_records_lag_max"),
                "Kafka consumer lag exported: " + java.util.Arrays.stream(after.split("\n"))
                        .filter(l -> l.startsWith("kafka_consumer")).limit(20).toList());
    }

    /** The value of one exact series line ({@code name{labels}}) of a scrape; fails when absent. */
    static double value(String prom, String series) {
        for (String line : prom.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        throw new AssertionError(series + " not exported");
    }

    private void awaitStored(String user, int n) {
        await(n + " records of " + user).atMost(Duration.ofSeconds(30)).until(() -> pool
                .preparedQuery("SELECT count(*) FROM usage.usage_records WHERE user_id = $1").execute(Tuple.of(user))
                .await().indefinitely().iterator().next().getLong(0) == n);
    }

    private static String event(String user) throws Exception {
        return JSON.writeValueAsString(new UsageEvent(UUID.randomUUID(), "req-" + UUID.randomUUID(), Instant.now(),
                user, null, "default", "fake-chat", "fake", "fake-chat", "cost", 3, 4, 7, false,
                new BigDecimal("0.0001"), null, 10, null, false, false, UsageEvent.Outcome.SUCCESS, null, List.of()));
    }

    private static KafkaConsumer<String, String> alertsConsumer() {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, UsageTopic.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        List<TopicPartition> partitions = await(Topics.ALERTS + " exists").atMost(Duration.ofSeconds(30))
                .pollInSameThread()
                .until(() -> consumer.partitionsFor(Topics.ALERTS).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList(), p -> !p.isEmpty());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static void awaitAlerts(KafkaConsumer<String, String> consumer, String subject, List<JsonNode> into,
                                    int n) {
        await(n + " alerts for " + subject).atMost(Duration.ofSeconds(30)).pollInSameThread()
                .pollDelay(Duration.ZERO).until(() -> {
                    poll(consumer, subject, into);
                    return into.size() >= n;
                });
    }

    private static void poll(KafkaConsumer<String, String> consumer, String subject, List<JsonNode> into)
            throws Exception {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            if (subject.equals(r.key())) {
                into.add(JSON.readTree(r.value()));
            }
        }
    }
}
