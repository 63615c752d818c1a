package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A key revoked through the admin API is refused within 1 s by every edge instance, including one that cached it
 * a moment before (its positive cache TTL is 5 s: only the revocation message can make it that fast).
 */
class RevocationIT {

    private static E2eStack stack;
    private static String secondEdge;

    @BeforeAll
    static void up() throws Exception {
        stack = E2eStack.get();
        secondEdge = stack.secondEdgeUrl();
    }

    @Test
    void aRevokedKeyIsRefusedWithinOneSecondOnBothEdges() throws Exception {
        JsonNode created = stack.createKey("e2e-revocation-" + stack.runId, List.of("user"), null);
        String key = created.get("key").asText();
        List<String> edges = List.of(stack.edgeUrl(), secondEdge);
        // Both edges hear the revocation channel, so they keep positive answers their full 5 s (while not
        // subscribed they would keep them only 1 s, and this test would not show that the message works).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (String edge : edges) {
                assertEquals("subscribed", given().baseUri(edge).get("/q/health/ready").jsonPath()
                        .getString("checks.find { it.name == 'edge-dependencies' }.data.keyRevocations"), edge);
            }
        });
        for (String edge : edges) {
            // a successful request on each edge, so that each holds the key in its local cache
            assertEquals(200, models(edge, key), edge);
            assertEquals(200, models(edge, key), edge);
        }
        Response revoke = given().baseUri(stack.url("admin")).header("Authorization", "Bearer " + stack.adminKey)
                .delete("/api/v1/ai/admin/keys/" + created.get("keyId").asText());
        assertEquals(204, revoke.statusCode(), revoke.asString());

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            for (String edge : edges) {
                assertEquals(401, models(edge, key), edge);
            }
        });
        // only the revoked hash was dropped: other keys keep working
        for (String edge : edges) {
            assertEquals(200, models(edge, stack.userKey), "other keys unaffected on " + edge);
            assertEquals(401, models(edge, key), "still refused on " + edge);
        }
    }

    private static int models(String edge, String key) {
        return given().baseUri(edge).header("Authorization", "Bearer " + key).get("/v1/models").statusCode();
    }
}
