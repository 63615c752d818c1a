package io.aigateway.usage.health;

import io.aigateway.usage.testsupport.KafkaDownProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/** usage-service cannot work without Kafka: readiness is DOWN when the broker is unreachable. */
@QuarkusTest
@TestProfile(KafkaDownProfile.class)
class KafkaDownReadinessTest {

    @Test
    void notReadyWithoutKafka() {
        await("not ready without Kafka").atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(250)).until(() -> given().get("/q/health/ready").statusCode() == 503);
        given().get("/q/health/ready").then().statusCode(503)
                .body(containsString("Kafka broker"))
                .body(containsString("DOWN"));
        // The API itself still answers (PostgreSQL is fine).
        given().header("X-Aigw-Internal-Token", "test-internal-token").queryParam("userId", "nobody")
                .get("/internal/v1/usage").then().statusCode(200).body(containsString("\"data\":[]"));
    }
}
