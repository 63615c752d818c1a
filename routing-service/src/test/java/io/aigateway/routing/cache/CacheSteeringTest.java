package io.aigateway.routing.cache;

import io.aigateway.testsupport.RedisProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.aigateway.routing.cache.ResponseCacheTest.CHAT;
import static io.aigateway.routing.cache.ResponseCacheTest.TOKEN;
import static io.aigateway.routing.cache.ResponseCacheTest.awaitCacheReady;
import static io.aigateway.routing.cache.ResponseCacheTest.body;
import static io.aigateway.routing.cache.ResponseCacheTest.calls;
import static io.aigateway.routing.cache.ResponseCacheTest.completion;
import static io.aigateway.routing.cache.ResponseCacheTest.ok;
import static io.aigateway.routing.cache.ResponseCacheTest.prompt;
import static io.aigateway.routing.cache.ResponseCacheTest.rid;
import static io.aigateway.routing.cache.ResponseCacheTest.stub;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Cached answers pass the internal-token check, and never cross routing steering (a stored preference). */
@QuarkusTest
@WithTestResource(CacheTestResource.class)
@WithTestResource(RedisProxyResource.class)
class CacheSteeringTest {

    @BeforeEach
    void reset() {
        CacheTestResource.adapter.resetAll();
        CacheTestResource.stubCatalog();
        awaitCacheReady();
    }

    private static Response chat(String user, String body) {
        return given().header("X-Aigw-Internal-Token", TOKEN).header("X-Request-Id", rid())
                .header("X-Aigw-Caller-User", user).header("X-Aigw-Caller-Key", "key-" + user)
                .contentType("application/json").body(body).post(CHAT);
    }

    private static void awaitHit(String user, String body) {
        await("answer cached").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(25))
                .until(() -> "HIT".equals(chat(user, body).getHeader("x-aigw-cache")));
    }

    @Test
    void aCachedAnswerStillNeedsTheInternalToken() throws Exception {
        stub("fake", ok(completion("Secret answer", 5, 3, "stop"), "0.00001"));
        String body = body("chat-default", prompt(), false, null);
        chat("user-t", body).then().statusCode(200);
        awaitHit("user-t", body);

        given().header("X-Request-Id", rid()).header("X-Aigw-Caller-User", "someone").contentType("application/json")
                .body(body).post(CHAT)
                .then().statusCode(401)
                .body(not(containsString("Secret answer")));
        given().header("X-Aigw-Internal-Token", "wrong-token").header("X-Aigw-Caller-User", "someone")
                .contentType("application/json").body(body).post(CHAT)
                .then().statusCode(401)
                .body(not(containsString("Secret answer")));
    }

    @Test
    void anAnswerRoutedByOneUsersPreferenceIsNotServedToAnotherSteeredElsewhere() throws Exception {
        stub("fake", ok(completion("From fake", 5, 3, "stop"), "0.00001"));
        stub("fakeb", ok(completion("From fakeb", 5, 3, "stop"), "0.00001"));
        String steered = "steered-" + UUID.randomUUID();
        given().header("X-Aigw-Internal-Token", TOKEN).header("X-Aigw-Caller-User", steered)
                .contentType("application/json")
                .body("{\"context\":\"default\",\"provider\":\"fakeb\",\"model\":\"fake-chat\"}")
                .put("/internal/v1/preferences")
                .then().statusCode(200);
        try {
            String body = body("chat-default", prompt(), false, null);
            // a caller without a preference: the configured order (fake first); cached
            chat("plain-" + UUID.randomUUID(), body).then().statusCode(200).header("x-aigw-provider", "fake");
            awaitHit("plain-" + UUID.randomUUID(), body);

            // the steered caller asks the same: routed to fakeb, not fake's cached answer
            Response r = chat(steered, body);
            r.then().statusCode(200).header("x-aigw-provider", "fakeb");
            assertNotEquals("HIT", r.getHeader("x-aigw-cache"));
            assertEquals(1, calls("fakeb"));
            // and a second steered request hits its own entry
            awaitHit(steered, body);
            assertEquals(1, calls("fakeb"));
        } finally {
            given().header("X-Aigw-Internal-Token", TOKEN).header("X-Aigw-Caller-User", steered)
                    .delete("/internal/v1/preferences/default");
        }
    }
}
