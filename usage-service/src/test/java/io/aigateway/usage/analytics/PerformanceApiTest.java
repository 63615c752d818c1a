package io.aigateway.usage.analytics;

import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.records.service.UsageIngestService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /internal/v1/usage/performance} against real PostgreSQL, with rows stored through the ingest service
 * under a provider id unique to the run (other rows of the window belong to other tests and are ignored).
 */
@QuarkusTest
class PerformanceApiTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String PROVIDER = "pp-" + RUN;
    private static final String EDGE = "test-token-edge-0000";
    private static boolean seeded;

    @Inject
    UsageIngestService ingest;

    @BeforeEach
    void seed() {
        if (seeded) {
            return;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<UsageEvent> events = List.of(
                event("m1", now.minusSeconds(60), 100, 50L, true, false, UsageEvent.Outcome.SUCCESS),
                event("m1", now.minusSeconds(50), 200, 100L, true, false, UsageEvent.Outcome.SUCCESS),
                event("m1", now.minusSeconds(40), 300, 150L, true, false, UsageEvent.Outcome.SUCCESS),
                event("m1", now.minusSeconds(30), 1000, null, false, false, UsageEvent.Outcome.ERROR),
                // a cache hit says nothing about the provider
                event("m1", now.minusSeconds(20), 1, null, false, true, UsageEvent.Outcome.SUCCESS),
                // only in the 24h window
                event("m1", now.minus(2, ChronoUnit.HOURS), 5000, null, false, false, UsageEvent.Outcome.SUCCESS),
                // not streamed: no time to first token
                event("m2", now.minusSeconds(10), 80, null, false, false, UsageEvent.Outcome.SUCCESS));
        assertEquals(List.of(), ingest.storeAll(events).await().atMost(Duration.ofSeconds(30)));
        seeded = true;
    }

    private static UsageEvent event(String model, Instant at, long latency, Long ttft, boolean streamed,
                                    boolean cached, UsageEvent.Outcome outcome) {
        boolean error = outcome != UsageEvent.Outcome.SUCCESS;
        return new UsageEvent(UUID.randomUUID(), "req-" + UUID.randomUUID(), at, "up-" + RUN, "key-" + RUN, "default",
                model, PROVIDER, model, "cost", 10, 20, 30, false, new BigDecimal("0.001"), null, latency, ttft,
                streamed, cached, outcome, error ? "TIMEOUT" : null,
                List.of(new UsageEvent.Attempt(PROVIDER, model, error ? "TIMEOUT" : null, null, latency)));
    }

    private static Map<String, Object> row(JsonPath body, String model) {
        List<Map<String, Object>> rows = body.getList("models");
        return rows.stream().filter(r -> PROVIDER.equals(r.get("provider")) && model.equals(r.get("model")))
                .findFirst().orElseThrow(() -> new AssertionError(model + " not in " + body.prettify()));
    }

    @Test
    void perModelSuccessRateLatencyAndTimeToFirstToken() {
        JsonPath body = given().header(AigwHeaders.INTERNAL_TOKEN, EDGE).get("/internal/v1/usage/performance")
                .then().statusCode(200).body("window", equalTo("1h")).extract().jsonPath();
        Instant from = Instant.parse(body.getString("from"));
        Instant to = Instant.parse(body.getString("to"));
        assertEquals(Duration.ofHours(1), Duration.between(from, to));
        Map<String, Object> m1 = row(body, "m1");
        assertEquals(4, m1.get("requests"));
        assertEquals(0.75f, ((Number) m1.get("successRate")).floatValue());
        assertEquals(400, m1.get("avgLatencyMs"));
        assertEquals(1000, m1.get("p95LatencyMs"));
        assertEquals(100, m1.get("ttftMsP50"));
        Map<String, Object> m2 = row(body, "m2");
        assertEquals(1, m2.get("requests"));
        assertEquals(1.0f, ((Number) m2.get("successRate")).floatValue());
        assertNull(m2.get("ttftMsP50"));
        assertTrue(m2.containsKey("ttftMsP50"));
    }

    @Test
    void theWindowChoosesTheRows() {
        JsonPath day = given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-admin-000").queryParam("window", "24h")
                .get("/internal/v1/usage/performance").then().statusCode(200).body("window", equalTo("24h"))
                .extract().jsonPath();
        assertEquals(5, row(day, "m1").get("requests"));
        JsonPath quarter = given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-ops-00000").queryParam("window", "15m")
                .get("/internal/v1/usage/performance").then().statusCode(200).extract().jsonPath();
        assertEquals(4, row(quarter, "m1").get("requests"));
        given().header(AigwHeaders.INTERNAL_TOKEN, EDGE).queryParam("window", "7d").get("/internal/v1/usage/performance")
                .then().statusCode(400).body("error.param", equalTo("window"));
    }

    @Test
    void onlyEdgeAdminAndOpsCallersGetIn() {
        given().get("/internal/v1/usage/performance").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header(AigwHeaders.INTERNAL_TOKEN, "wrong-token").get("/internal/v1/usage/performance").then().statusCode(401);
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-routing-0").get("/internal/v1/usage/performance")
                .then().statusCode(403).body("error.type", equalTo("permission_error"));
    }
}
