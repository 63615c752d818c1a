package io.aigateway.usage.health;

import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.usage.Topics;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.testsupport.TcpProxy;
import io.aigateway.usage.testsupport.PostgresProxyProfile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * usage-service cannot work without PostgreSQL: readiness must go DOWN when it disappears, and an event
 * consumed during the outage must be stored once PostgreSQL is back (retried, not acked, not lost).
 */
@QuarkusTest
@TestProfile(PostgresProxyProfile.class)
class ReadinessTest {

    private static final String TOKEN = "test-internal-token";

    TcpProxy proxy; // injected by PostgresProxyResource

    @Inject
    MeterRegistry registry;

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

        // An event arriving while PostgreSQL is down is held and retried, then stored when it is back.
        double retriesBefore = dbRetries();
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
        // the consumer picks it up and fails a few times
        await("inserts retried while PostgreSQL is down").atMost(Duration.ofSeconds(30))
                .until(() -> dbRetries() >= retriesBefore + 2);

        proxy.resume();
        awaitReadiness(200, Duration.ofSeconds(30), "ready again once PostgreSQL is back");

        await("event stored after the outage").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).queryParam("userId", user)
                        .get("/internal/v1/usage").then().statusCode(200).extract().asString(),
                        body -> body.contains(event.eventId().toString()));
        given().get("/q/metrics").then().statusCode(200).body(containsString("aigw_usage_db_retries_total"));
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
