package io.aigateway.routing.cache;

import io.aigateway.routing.CatalogAwait;
import io.aigateway.testsupport.RedisProxyResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** {@code aigw.cache.scope=user}: one user's answer is never served to another. */
@QuarkusTest
@WithTestResource(CacheTestResource.class)
@WithTestResource(RedisProxyResource.class)
@TestProfile(UserScopeCacheTest.UserScope.class)
class UserScopeCacheTest {

    public static class UserScope implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aigw.cache.scope", "user");
        }
    }

    @Inject
    RedisDataSource redis;

    static Response ask(String user, String body) {
        return given().header("X-Aigw-Internal-Token", "test-internal-token").header("X-Request-Id", "req-" + UUID.randomUUID())
                .header("X-Aigw-Caller-User", user).contentType("application/json").body(body).post("/internal/v1/route/chat");
    }

    @Test
    void answersAreKeptPerUser() throws Exception {
        CacheTestResource.stubCatalog();
        CacheTestResource.adapter.stubFor(post(urlEqualTo("/internal/v1/providers/fake/chat")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withHeader("x-aigw-cost-usd", "0.00001")
                .withBody("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake-chat\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"mine\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}")));
        String body = "{\"model\":\"fake/fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"scoped " + UUID.randomUUID() + "\"}]}";
        CatalogAwait.untilLoaded();
        Response a = ask("alice", body);
        assertEquals("MISS", a.getHeader("x-aigw-cache"));
        String aliceKey = a.getHeader("x-aigw-cache-key");
        String redisKey = CacheTestResource.PREFIX + aliceKey;
        await("alice's answer stored").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(25))
                .until(() -> redis.key().exists(redisKey));
        Response b = ask("bob", body);
        assertEquals("MISS", b.getHeader("x-aigw-cache"), "another user's answer is not served");
        assertNotEquals(aliceKey, b.getHeader("x-aigw-cache-key"));
        assertEquals("HIT", ask("alice", body).getHeader("x-aigw-cache"));
        assertEquals(2, CacheTestResource.adapter.countRequestsMatching(
                postRequestedFor(urlEqualTo("/internal/v1/providers/fake/chat")).build()).getCount());
        given().header("X-Aigw-Internal-Token", "test-internal-token").contentType("application/json").body("{\"all\":true}")
                .post("/internal/v1/cache/invalidate").then().statusCode(200);
    }
}
