package io.aigateway.routing;

import io.aigateway.routing.breaker.ProviderBreakers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.aigateway.routing.ChatRouteTest.CHAT;
import static io.aigateway.routing.ChatRouteTest.TOKEN;
import static io.aigateway.routing.ChatRouteTest.body;
import static io.aigateway.routing.ChatRouteTest.call;
import static io.aigateway.routing.ChatRouteTest.calls;
import static io.aigateway.routing.ChatRouteTest.completion;
import static io.aigateway.routing.ChatRouteTest.fullStream;
import static io.aigateway.routing.ChatRouteTest.ok;
import static io.aigateway.routing.ChatRouteTest.providerError;
import static io.aigateway.routing.ChatRouteTest.rid;
import static io.aigateway.routing.ChatRouteTest.sse;
import static io.aigateway.routing.ChatRouteTest.stub;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keep-alive to adapter-service with a pool of one connection: a provider's fully read error answer must leave
 * that connection usable for the next attempt. (Resetting the finished exchange closed the pooled connection
 * under the fallback's request: a CONNECTION failure counted against the healthy provider's breaker.)
 */
@QuarkusTest
@WithTestResource(AdapterMock.class)
@TestProfile(PooledConnectionTest.Profile.class)
class PooledConnectionTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "aigw.adapter.keep-alive", "true",
                    "aigw.adapter.pool-size", "1",
                    "aigw.routing.retry.max-retries", "0",
                    "aigw.cache.enabled", "false");
        }
    }

    @Inject
    ProviderBreakers breakers;

    @BeforeEach
    void reset() {
        breakers.resetAll();
        AdapterMock.server.resetAll();
        AdapterMock.stubCatalog();
        CatalogAwait.untilLoaded();
    }

    @Test
    void jsonFallbackAfterAnErrorAnswerReusesTheConnection() {
        stub("fake", providerError(502, "UPSTREAM_5XX", 500, "fake"));
        stub("fakeb", ok(completion("fake-chat", 5, 3), "0.00001"));
        for (int i = 0; i < 20; i++) {
            call(rid()).body(body("chat-default", false)).post(CHAT)
                    .then().statusCode(200)
                    .header("x-aigw-provider", "fakeb")
                    .header("x-aigw-attempts", "2");
            breakers.resetAll(); // 20 failures of "fake" would open its breaker; this test is about fakeb's attempts
        }
        assertEquals(20, calls("fakeb"));
    }

    @Test
    void streamFallbackAfterAnErrorAnswerReusesTheConnection() {
        stub("fake", providerError(502, "UPSTREAM_5XX", 500, "fake"));
        stub("fakeb", sse(fullStream(2)));
        for (int i = 0; i < 20; i++) {
            call(rid()).body(body("chat-default", true)).post(CHAT)
                    .then().statusCode(200)
                    .header("x-aigw-provider", "fakeb")
                    .header("x-aigw-attempts", equalTo("2"))
                    .body(containsString("data: [DONE]"));
            breakers.resetAll();
        }
        assertEquals(20, calls("fakeb"));
    }
}
