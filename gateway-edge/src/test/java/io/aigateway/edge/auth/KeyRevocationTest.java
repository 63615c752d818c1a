package io.aigateway.edge.auth;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.aigateway.contracts.internal.KeyHashing;
import io.aigateway.edge.chat.ChatCompletionsTest;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Revocation messages on the channel (as admin-service publishes them) reach the local key cache at once, and
 * the Redis mirror is not trusted for a revoked hash afterwards. The positive TTL in tests is 60 s, so only the
 * message can make these keys fail within a second.
 */
@QuarkusTest
class KeyRevocationTest {

    private static final String BODY = "{\"model\":\"m-revoke\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Inject
    RedisDataSource redis;

    @Inject
    ApiKeyService apiKeys;

    @ConfigProperty(name = "aigw.edge.auth.revocations.channel")
    String channel;

    @BeforeEach
    void subscribed() {
        WireMockResource.routing().stubFor(post(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m-revoke")))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody(ChatCompletionsTest.COMPLETION)));
        await().atMost(Duration.ofSeconds(20)).until(apiKeys::revocationFeedLive);
    }

    @Test
    void aRevokedKeyIsRefusedWithinASecondEvenWhileTheMirrorStillHoldsIt() {
        Keys.TestKey key = Keys.inRedis(redis, "revoke-" + UUID.randomUUID(), "user");
        Keys.TestKey other = Keys.inRedis(redis, "revoke-other-" + UUID.randomUUID(), "user");
        String hash = KeyHashing.sha256Hex(key.key());
        chat(key, 200);
        chat(key, 200);
        chat(other, 200);

        // admin-service's Redis DEL "failed": the mirror entry stays, only the message arrives.
        redis.pubsub(String.class).publish(channel, hash);
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> status(key) == 401);
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(1).toNanos());
        // the mirror was bypassed: admin-service (404 here) was asked
        WireMockResource.admin().verify(getRequestedFor(urlPathEqualTo("/internal/v1/keys/" + hash)));
        chat(key, 401);
        chat(other, 200);
    }

    @Test
    void messagesThatAreNotHashesChangeNothing() {
        Keys.TestKey key = Keys.inRedis(redis, "revoke-noise-" + UUID.randomUUID(), "user");
        chat(key, 200);
        redis.pubsub(String.class).publish(channel, "hb:someone-else:1");
        redis.pubsub(String.class).publish(channel, "not a hash");
        redis.pubsub(String.class).publish(channel, KeyHashing.sha256Hex(KeyHashing.newKey()));
        chat(key, 200);
        WireMockResource.admin().verify(0, getRequestedFor(
                urlPathEqualTo("/internal/v1/keys/" + KeyHashing.sha256Hex(key.key()))));
    }

    private static void chat(Keys.TestKey key, int expected) {
        given().header("Authorization", key.bearer()).contentType("application/json").body(BODY)
                .post("/v1/chat/completions").then().statusCode(expected);
    }

    private static int status(Keys.TestKey key) {
        return given().header("Authorization", key.bearer()).contentType("application/json").body(BODY)
                .post("/v1/chat/completions").statusCode();
    }
}
