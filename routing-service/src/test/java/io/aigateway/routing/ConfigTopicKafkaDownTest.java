package io.aigateway.routing;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.aigateway.routing.ChatRouteTest.body;
import static io.aigateway.routing.ChatRouteTest.call;
import static io.aigateway.routing.ChatRouteTest.completion;
import static io.aigateway.routing.ChatRouteTest.ok;
import static io.aigateway.routing.ChatRouteTest.rid;
import static io.aigateway.routing.ChatRouteTest.stub;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.startsWith;

/** ai.config.v1 unreachable: routing starts, routes with the file and adapter state, stays ready and says so. */
@QuarkusTest
@TestProfile(ConfigTopicKafkaDownTest.Profile.class)
@WithTestResource(AdapterMock.class)
class ConfigTopicKafkaDownTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aigw.config-topic.enabled", "true",
                    "aigw.config-topic.bootstrap-servers", "127.0.0.1:1",
                    "aigw.config-topic.retry-interval", "500ms");
        }
    }

    @Test
    void routesAndStaysReadyWithoutTheConfigTopic() {
        AdapterMock.stubCatalog();
        CatalogAwait.untilLoaded();
        stub("fake", ok(completion("fake-chat", 3, 2), "0.0000001"));
        call(rid()).header("X-Aigw-Policy", "quality").body(body("chat-default", false)).post(ChatRouteTest.CHAT)
                .then().statusCode(200).header("x-aigw-provider", "fake");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'routing' }.data.configTopic", startsWith("config topic not read")));
    }
}
