package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.Json;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public model catalog across the services: anonymous access with every field, 304 on the ETag, performance
 * from the gateway's own traffic (usage-service), availability from routing's breakers.
 */
class CatalogIT {

    private static E2eStack stack;
    private final ObjectMapper mapper = Json.newMapper();

    @BeforeAll
    static void up() {
        stack = E2eStack.get();
    }

    @AfterEach
    void reset() throws Exception {
        stack.fakeReset();
        stack.resetBreakers();
    }

    private JsonNode entry(String id) throws Exception {
        Response r = given().baseUri(stack.edgeUrl()).get("/api/v1/ai/models");
        assertEquals(200, r.statusCode(), r.asString());
        for (JsonNode m : mapper.readTree(r.asString()).path("models")) {
            if (m.path("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError(id + " not in the catalog: " + r.asString());
    }

    @Test
    void anonymousCallersGetEveryFieldAndA304ForTheSameETag() throws Exception {
        Response r = given().baseUri(stack.edgeUrl()).get("/api/v1/ai/models");
        assertEquals(200, r.statusCode(), r.asString());
        String etag = r.header("ETag");
        assertTrue(etag != null && !etag.isEmpty());
        assertTrue(r.header("Cache-Control").startsWith("public, max-age="), r.header("Cache-Control"));
        JsonNode body = mapper.readTree(r.asString());
        assertFalse(body.path("groups").isEmpty(), "groups are listed");
        for (JsonNode g : body.path("groups")) {
            assertTrue(g.path("id").isTextual() && !g.path("members").isEmpty(), "group: " + g);
            assertTrue(STATUSES.contains(g.at("/availability/status").asText()), "group availability: " + g);
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode m : body.path("models")) {
            assertEveryField(m);
            ids.add(m.path("id").asText());
        }
        assertTrue(ids.containsAll(List.of("fake/fake-chat", "fakeb/fake-chat")), "the fakes' chat models: " + ids);

        // If-None-Match with the tag just received → 304. The catalog may change between the two calls (usage-service's
        // performance moves with other tests' traffic), so the pair is repeated until it happens, for 10 s at most.
        AtomicInteger last = new AtomicInteger();
        AtomicReference<String> lastTag = new AtomicReference<>();
        await("a GET with If-None-Match of the tag just received answers 304").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    Response first = given().baseUri(stack.edgeUrl()).get("/api/v1/ai/models");
                    assertEquals(200, first.statusCode(), first.asString());
                    String tag = first.header("ETag");
                    assertTrue(tag != null && !tag.isEmpty(), "ETag");
                    lastTag.set(tag);
                    Response again = given().baseUri(stack.edgeUrl()).header("If-None-Match", tag).get("/api/v1/ai/models");
                    last.set(again.statusCode());
                    if (again.statusCode() == 304) {
                        assertEquals("", again.asString(), "304 without a body");
                    } else {
                        assertEquals(200, again.statusCode(), again.asString());
                        assertFalse(tag.equals(again.header("ETag")), "same tag, yet not 304");
                    }
                    return again.statusCode() == 304;
                });
        assertEquals(304, last.get(), "not modified for the tag " + lastTag.get());
    }

    private static final Set<String> STATUSES = Set.of("available", "degraded", "unavailable");

    /** Every field of a catalog entry (docs/api.md, "GET /api/v1/ai/models"), with its type and allowed values. */
    private static void assertEveryField(JsonNode m) {
        String where = m.toString();
        String id = m.path("id").asText();
        String provider = m.path("provider").asText();
        assertTrue(m.path("id").isTextual() && m.path("provider").isTextual() && id.startsWith(provider + "/")
                && id.length() > provider.length() + 1, "id is provider/model: " + where);
        for (String text : List.of("displayName", "description")) {
            assertTrue(m.path(text).isTextual() && !m.path(text).asText().isBlank(), text + ": " + where);
        }
        assertTrue(m.path("contextWindow").isIntegralNumber() && m.path("contextWindow").asLong() >= 0, "contextWindow: " + where);
        for (String cap : List.of("streaming", "tools", "json", "vision")) {
            assertTrue(m.path("capabilities").path(cap).isBoolean(), "capabilities." + cap + ": " + where);
        }
        for (String price : List.of("promptPer1k", "completionPer1k")) {
            JsonNode v = m.path("pricing").path(price);
            assertTrue(v.isTextual() && new BigDecimal(v.asText()).signum() >= 0, "pricing." + price + ": " + where);
        }
        assertEquals("USD", m.at("/pricing/currency").asText(), where);
        JsonNode perf = m.path("performance");
        assertTrue(perf.isObject(), "performance (usage-service answers in this stack): " + where);
        for (String number : List.of("avgLatencyMs", "p95LatencyMs", "ttftMsP50", "successRate")) {
            // null until the model has had traffic in the window
            assertTrue(perf.has(number) && (perf.get(number).isNull() || perf.get(number).isNumber()),
                    "performance." + number + ": " + where);
        }
        assertTrue(perf.path("requests").isIntegralNumber() && perf.path("requests").asLong() >= 0, "performance.requests: " + where);
        assertTrue(perf.path("window").isTextual() && !perf.path("window").asText().isBlank(), "performance.window: " + where);
        assertTrue(STATUSES.contains(m.at("/availability/status").asText()), "availability.status: " + where);
        assertTrue(Set.of("healthy", "unhealthy", "unknown").contains(m.at("/availability/health").asText()),
                "availability.health: " + where);
        assertTrue(Set.of("CLOSED", "OPEN", "HALF_OPEN").contains(m.at("/availability/breaker").asText()),
                "availability.breaker: " + where);
        JsonNode rec = m.path("recommended");
        assertTrue(rec.path("value").isBoolean() && rec.path("contexts").isArray(), "recommended: " + where);
        assertEquals(rec.path("value").asBoolean(), !rec.path("contexts").isEmpty(), "recommended.value: " + where);
    }

    @Test
    void performanceComesFromTrafficAndAnOpenBreakerMakesAModelUnavailable() throws Exception {
        for (int i = 0; i < 3; i++) {
            Response r = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                    .header("Cache-Control", "no-store").contentType(ContentType.JSON)
                    .body("{\"model\":\"fake/fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"catalog " + UUID.randomUUID() + "\"}]}")
                    .post("/v1/chat/completions");
            assertEquals(200, r.statusCode(), r.asString());
        }
        await("performance from the gateway's own traffic").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    JsonNode p = entry("fake/fake-chat").path("performance");
                    return p.path("requests").asLong() > 0 && p.path("avgLatencyMs").asDouble() > 0
                            && p.path("successRate").asDouble() > 0;
                });

        // fakeb's chat model fails: routing's breaker of fakeb opens after 5 failed calls in a row
        stack.fakeControl("fakeb", Map.of("model", "fake-chat", "errorRate", 1.0, "errorStatus", 500));
        await("fakeb's breaker open").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                    .header("Cache-Control", "no-store").contentType(ContentType.JSON)
                    .body("{\"model\":\"fakeb/fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"fail " + UUID.randomUUID() + "\"}]}")
                    .post("/v1/chat/completions");
            return given().baseUri(stack.url("routing")).header("X-Aigw-Internal-Token", stack.internalToken)
                    .get("/internal/v1/breakers").asString().matches("(?s).*\"fakeb\"[^}]*\"OPEN\".*");
        });
        await("the catalog shows fakeb unavailable").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> "unavailable".equals(entry("fakeb/fake-chat").at("/availability/status").asText()));
        assertEquals("OPEN", entry("fakeb/fake-chat").at("/availability/breaker").asText());
        assertEquals("available", entry("fake/fake-chat").at("/availability/status").asText());
    }
}
