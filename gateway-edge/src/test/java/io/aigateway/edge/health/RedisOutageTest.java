package io.aigateway.edge.health;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.aigateway.edge.chat.ChatCompletionsTest;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.aigateway.testsupport.RedisProxyResource;
import io.aigateway.testsupport.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.hamcrest.Matchers;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Redis goes away after start (a TCP proxy in front of it is cut): the edge stays ready and keeps serving. */
@QuarkusTest
@TestProfile(RedisOutageTest.Profile.class)
class RedisOutageTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisProxyResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aigw.edge.auth.redis-timeout", "300ms");
        }
    }

    @Inject
    RedisDataSource redis;

    TcpProxy redisProxy; // injected by RedisProxyResource

    @Test
    void readinessStaysUpAndRequestsAreServedWithoutRedis() {
        WireMockResource.routing().stubFor(post(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m-outage")))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody(ChatCompletionsTest.COMPLETION)));
        String body = "{\"model\":\"m-outage\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        // Redis reachable through the proxy first (the first connection may be slow on a busy machine)
        await("edge sees Redis").atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO)
                .until(() -> given().get("/q/health/ready").then().statusCode(200)
                        .body("status", Matchers.equalTo("UP"))
                        .extract().<String>path("checks.find { it.name == 'edge-dependencies' }.data.redis"), "up"::equals);
        Keys.TestKey redisKey = Keys.inRedis(redis, "redis-user", "user");
        given().header("Authorization", redisKey.bearer()).body(body).post("/v1/chat/completions")
                .then().statusCode(200);

        redisProxy.cut();

        given().get("/q/health/ready").then().statusCode(200)
                .body("status", Matchers.equalTo("UP"))
                .body("checks.find { it.name == 'edge-dependencies' }.data.redis", Matchers.startsWith("down"));
        given().get("/q/health/live").then().statusCode(200).body("status", Matchers.equalTo("UP"));

        Keys.TestKey key = Keys.atAdmin("outage-user", "user");
        given().header("Authorization", key.bearer()).body(body).post("/v1/chat/completions")
                .then().statusCode(200).body(Matchers.equalTo(ChatCompletionsTest.COMPLETION));
        // a second key, now with Redis known to be down (lookups go straight to admin-service)
        Keys.TestKey key2 = Keys.atAdmin("outage-user-2", "user");
        given().header("Authorization", key2.bearer()).body(body).post("/v1/chat/completions")
                .then().statusCode(200);
        given().header("Authorization", Keys.newKey("nobody").bearer()).body(body).post("/v1/chat/completions")
                .then().statusCode(401);
        given().get("/q/health/ready").then().statusCode(200).body("status", Matchers.equalTo("UP"));
    }
}
