package io.aigateway.usage.health;

import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.usage.Topics;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.testsupport.PostgresProxyProfile;
import io.aigateway.usage.testsupport.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * usage-service cannot work without PostgreSQL: readiness must go DOWN when it disappears, and an event
 * consumed during the outage must be stored once PostgreSQL is back (retried, not acked, not lost).
 */
@QuarkusTest
@TestProfile(PostgresProxyProfile.class)
class ReadinessTest {

    private static final String TOKEN = "test-internal-token";

    TcpProxy proxy; // injected by PostgresProxyResource

    @Test
    void readinessFollowsPostgresAndEventsSurviveTheOutage() throws Exception {
        assertNotNull(proxy, "proxy injected");
        // UP first (the Kafka consumer may need a moment to connect after start).
        assertEquals(200, waitForReadiness(200, 30_000), "ready before the cut");
        given().get("/q/health/ready").then().statusCode(200)
                .body(containsString("Reactive PostgreSQL connections health check"))
                .body(containsString("Kafka broker"))
                .body(containsString("usage-in"));

        proxy.cut();

        assertEquals(503, waitForReadiness(503, 10_000), "not ready once PostgreSQL is unreachable");
        given().get("/q/health/ready").then().statusCode(503).body(containsString("DOWN"));
        // Liveness is not about dependencies.
        given().get("/q/health/live").then().statusCode(200);

        // An event arriving while PostgreSQL is down is held and retried, then stored when it is back.
        String user = "u-outage-" + UUID.randomUUID();
        UsageEvent event = new UsageEvent(UUID.randomUUID(), "req-outage", Instant.now().truncatedTo(ChronoUnit.MICROS),
                user, "k", "default", "chat-default", "fake", "fake-chat", "cost", 1, 2, 3, false,
                new BigDecimal("0.000001"), null, 10, null, false, false, UsageEvent.Outcome.SUCCESS, null, List.of());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(Topics.USAGE, user, Json.newMapper().writeValueAsString(event)))
                    .get(30, TimeUnit.SECONDS);
        }
        Thread.sleep(3_000); // let the consumer pick it up and fail a few times

        proxy.resume();
        assertEquals(200, waitForReadiness(200, 30_000), "ready again once PostgreSQL is back");

        long deadline = System.currentTimeMillis() + 30_000;
        String body = "";
        while (System.currentTimeMillis() < deadline) {
            body = given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("userId", user)
                    .get("/internal/v1/usage").then().statusCode(200).extract().asString();
            if (body.contains(event.eventId().toString())) {
                break;
            }
            Thread.sleep(250);
        }
        assertTrue(body.contains(event.eventId().toString()), "event stored after the outage: " + body);
        given().get("/q/metrics").then().statusCode(200).body(containsString("aigw_usage_db_retries_total"));
    }

    private static int waitForReadiness(int wanted, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        int last;
        do {
            Response r = given().get("/q/health/ready");
            last = r.statusCode();
            if (last == wanted) {
                return last;
            }
            Thread.sleep(250);
        } while (System.currentTimeMillis() < deadline);
        return last;
    }
}
