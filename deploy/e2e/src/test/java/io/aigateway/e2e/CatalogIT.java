package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.Json;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
        JsonNode fake = entry("fake/fake-chat");
        for (String field : List.of("id", "provider", "displayName", "description", "contextWindow", "capabilities",
                "pricing", "performance", "availability", "recommended")) {
            assertFalse(fake.path(field).isMissingNode(), field + " missing: " + fake);
        }
        for (String cap : List.of("streaming", "tools", "json", "vision")) {
            assertTrue(fake.path("capabilities").has(cap), cap);
        }
        assertEquals("USD", fake.at("/pricing/currency").asText());
        Response again = given().baseUri(stack.edgeUrl()).header("If-None-Match", etag).get("/api/v1/ai/models");
        if (etag.equals(again.header("ETag")) || again.statusCode() == 304) {
            assertEquals(304, again.statusCode(), "same content, same tag: not modified");
        }
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
