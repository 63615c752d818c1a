package io.aigateway.usage.health;

import io.aigateway.usage.testsupport.KafkaDownProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** usage-service cannot work without Kafka: readiness is DOWN when the broker is unreachable. */
@QuarkusTest
@TestProfile(KafkaDownProfile.class)
class KafkaDownReadinessTest {

    @Test
    void notReadyWithoutKafka() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        int status;
        do {
            status = given().get("/q/health/ready").statusCode();
            if (status == 503) {
                break;
            }
            Thread.sleep(250);
        } while (System.currentTimeMillis() < deadline);
        assertEquals(503, status);
        given().get("/q/health/ready").then().statusCode(503)
                .body(containsString("Kafka broker"))
                .body(containsString("DOWN"));
        // The API itself still answers (PostgreSQL is fine).
        given().header("X-Aigw-Internal-Token", "test-internal-token").queryParam("userId", "nobody")
                .get("/internal/v1/usage").then().statusCode(200).body(containsString("\"data\":[]"));
    }
}
