package io.aigateway.edge.configtopic;

import io.aigateway.testsupport.ConfigTopicPublisher;
import io.aigateway.contracts.config.ConfigKeys;
import io.aigateway.contracts.config.ProviderOverride;
import io.aigateway.edge.quota.ModelPrices;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A provider record on {@code ai.config.v1} makes the edge re-read routing's prices (and drop its cached
 * {@code /v1/models} answer) within about 1 s; the periodic re-read is 10 min here, so only the record explains it.
 */
@QuarkusTest
@TestProfile(ConfigTopicReloadTest.Profile.class)
class ConfigTopicReloadTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aigw.edge.config-topic.enabled", "true",
                    "aigw.edge.config-topic.retry-interval", "500ms",
                    "aigw.quota.prices-refresh", "10m",
                    "aigw.edge.models-cache-ttl", "1m");
        }
    }

    static ConfigTopicPublisher topic;

    @Inject
    ModelPrices prices;

    @BeforeAll
    static void publisher() throws Exception {
        topic = new ConfigTopicPublisher();
    }

    @AfterAll
    static void cleanUp() {
        if (topic != null) {
            topic.publish(ConfigKeys.provider("cfgedge"), null);
            topic.close();
        }
    }

    static void stubRouting(String price, String modelsBody) {
        WireMockResource.routing().stubFor(get(urlEqualTo("/internal/v1/models/prices")).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json")
                .withBody("{\"fallback\":{\"promptPer1k\":\"0.01\",\"completionPer1k\":\"0.02\"},"
                        + "\"models\":{\"cfgedge/m\":{\"promptPer1k\":\"" + price + "\",\"completionPer1k\":\"0.002\"}}}")));
        WireMockResource.routing().stubFor(get(urlEqualTo("/internal/v1/models")).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody(modelsBody)));
    }

    static String models(boolean enabled) {
        return "{\"object\":\"list\",\"data\":[{\"id\":\"cfgedge/m\",\"object\":\"model\",\"created\":0,\"owned_by\":\"cfgedge\",\"aigw\":{\"enabled\":" + enabled + "}}]}";
    }

    @Test
    void aProviderRecordReloadsPricesAndTheModelList() {
        // no stub at start: the periodic read retries every 2 s until this answer, then waits 10 min
        stubRouting("0.001", models(true));
        await().atMost(Duration.ofSeconds(10)).until(() -> new BigDecimal("0.001").equals(prices.of("cfgedge/m").promptPer1k()));
        await("following").atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'edge-config-topic' }.data.configTopic", equalTo("following")));
        Keys.TestKey key = Keys.atAdmin("cfg-topic-user", "user");
        given().header("Authorization", key.bearer()).get("/v1/models").then().statusCode(200).body(equalTo(models(true)));

        // routing applies the record: its answers change; the edge hears the record and re-reads them
        stubRouting("0.5", models(false));
        topic.publish(ConfigKeys.provider("cfgedge"), new ProviderOverride("cfgedge", false, null, null, Map.of(), null, null, null,
                1, Instant.now(), "test-admin"));
        await("prices re-read").atMost(Duration.ofMillis(2500)).pollInterval(Duration.ofMillis(50))
                .until(() -> new BigDecimal("0.5").equals(prices.of("cfgedge/m").promptPer1k()));
        await("model list re-read").atMost(Duration.ofMillis(2500)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> given().header("Authorization", key.bearer()).get("/v1/models").then().statusCode(200).body(equalTo(models(false))));
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("aigw_config_records_total{kind=\"provider\""));
    }
}
