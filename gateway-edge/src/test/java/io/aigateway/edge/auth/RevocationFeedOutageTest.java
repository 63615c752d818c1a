package io.aigateway.edge.auth;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.aigateway.contracts.internal.KeyHashing;
import io.aigateway.edge.chat.ChatCompletionsTest;
import io.aigateway.edge.support.Keys;
import io.aigateway.testsupport.RedisProxyResource;
import io.aigateway.testsupport.TcpProxy;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * Redis (and with it the revocation subscription) goes away: the edge notices, drops its key cache and keeps
 * positive answers only {@code degraded-positive-ttl} (1 s here; 60 s normally in tests), so a revocation it can no
 * longer hear about still takes effect within about a second.
 */
@QuarkusTest
@TestProfile(RevocationFeedOutageTest.Profile.class)
class RevocationFeedOutageTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisProxyResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aigw.edge.auth.redis-timeout", "300ms",
                    "aigw.edge.auth.revocations.degraded-positive-ttl", "1s");
        }
    }

    private static final String BODY = "{\"model\":\"m-feed\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Inject
    ApiKeyService apiKeys;

    TcpProxy redisProxy; // injected by RedisProxyResource

    @Test
    void losingTheSubscriptionShortensThePositiveTtl() {
        WireMockResource.routing().stubFor(post(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m-feed")))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody(ChatCompletionsTest.COMPLETION)));
        await().atMost(Duration.ofSeconds(20)).until(apiKeys::revocationFeedLive);
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'edge-dependencies' }.data.keyRevocations", Matchers.equalTo("subscribed"));

        Keys.TestKey key = Keys.atAdmin("feed-user", "user");
        String lookup = "/internal/v1/keys/" + KeyHashing.sha256Hex(key.key());
        chat(key);
        chat(key);
        WireMockResource.admin().verify(1, getRequestedFor(urlPathEqualTo(lookup)));

        redisProxy.cut();
        await().atMost(Duration.ofSeconds(5)).until(() -> !apiKeys.revocationFeedLive());
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", Matchers.equalTo("UP"))
                .body("checks.find { it.name == 'edge-dependencies' }.data.keyRevocations",
                        Matchers.startsWith("not subscribed"));

        // the cache was dropped on the loss, and a positive answer now lives ~1 s instead of 60 s: the key is
        // looked up again twice within a few seconds of steady requests
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            chat(key);
            WireMockResource.admin().verify(WireMock.moreThanOrExactly(3), getRequestedFor(urlPathEqualTo(lookup)));
        });
    }

    private static void chat(Keys.TestKey key) {
        given().header("Authorization", key.bearer()).contentType("application/json").body(BODY)
                .post("/v1/chat/completions").then().statusCode(200);
    }
}
