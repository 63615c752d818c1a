package io.aigateway.routing;

import io.aigateway.testsupport.ConfigTopicPublisher;
import io.aigateway.contracts.config.BreakerReset;
import io.aigateway.contracts.config.ConfigKeys;
import io.aigateway.contracts.config.ModelGroup;
import io.aigateway.contracts.config.ProviderOverride;
import io.aigateway.routing.breaker.ProviderBreakers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.aigateway.routing.ChatRouteTest.TOKEN;
import static io.aigateway.routing.ChatRouteTest.body;
import static io.aigateway.routing.ChatRouteTest.calls;
import static io.aigateway.routing.ChatRouteTest.completion;
import static io.aigateway.routing.ChatRouteTest.ok;
import static io.aigateway.routing.ChatRouteTest.providerError;
import static io.aigateway.routing.ChatRouteTest.stub;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Records on {@code ai.config.v1} (published here as admin-service would) change routing within 2 s: a disabled
 * provider is not routed to, a published group replaces the file's, a breaker reset closes the breaker, prices and
 * priority change the estimate and the order; tombstones restore the file / adapter state. Asserted through the
 * internal routes, with adapter-service stubbed by WireMock.
 */
@QuarkusTest
@TestProfile(ConfigTopicProfile.class)
@WithTestResource(AdapterMock.class)
class ConfigTopicTest {

    static final Duration WITHIN = Duration.ofSeconds(2);
    static final String CHAT = ChatRouteTest.CHAT;
    static final List<String> KEYS = List.of(ConfigKeys.provider("fake"), ConfigKeys.provider("fakeb"),
            ConfigKeys.group("chat-default"), ConfigKeys.group("cfgtest-fast"));

    static ConfigTopicPublisher topic;

    @Inject
    ProviderBreakers breakers;

    @BeforeAll
    static void publisher() throws Exception {
        topic = new ConfigTopicPublisher();
    }

    @AfterAll
    static void cleanUp() {
        if (topic != null) {
            KEYS.forEach(k -> topic.publish(k, null));
            topic.close();
        }
    }

    /** Tombstones for every key these tests use (also what other tests may have left), then the file/adapter state. */
    @BeforeEach
    void reset() {
        // the follower retries every 500 ms while the topic is missing (the publisher may just have created it)
        await("following").atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'routing' }.data.configTopic", equalTo("following")));
        KEYS.forEach(k -> topic.publish(k, null));
        AdapterMock.server.resetAll();
        AdapterMock.stubCatalog();
        breakers.resetAll();
        CatalogAwait.untilLoaded();
        stub("fake", ok(completion("fake-chat", 3, 2), "0.0000001"));
        stub("fakeb", ok(completion("fake-chat", 3, 2), "0.0000001"));
        await("file and adapter state").atMost(Duration.ofSeconds(10)).until(() -> {
            JsonPath prices = given().header("X-Aigw-Internal-Token", TOKEN).get("/internal/v1/models/prices").jsonPath();
            return enabled("fakeb/fake-chat") && "0.001".equals(prices.getString("models.'fakeb/fake-chat'.promptPer1k"))
                    && providerOf("chat-default", "quality").equals("fake");
        });
    }

    static ProviderOverride override(String provider, Boolean enabled, Integer priority, Map<String, ProviderOverride.ModelOverride> models) {
        return new ProviderOverride(provider, enabled, priority, null, models, null, null, null, 1, Instant.now(), "test-admin");
    }

    static boolean enabled(String model) {
        return given().header("X-Aigw-Internal-Token", TOKEN).get("/internal/v1/models").jsonPath()
                .getBoolean("data.find { it.id == '" + model + "' }.aigw.enabled");
    }

    /** Routes one request (a fresh user: no stored preference) and answers the serving provider, or the status. */
    static String providerOf(String model, String policy) {
        var r = given().header("X-Aigw-Internal-Token", TOKEN)
                .header("X-Request-Id", "req-" + UUID.randomUUID())
                .header("X-Aigw-Caller-User", "cfg-" + UUID.randomUUID())
                .header("X-Aigw-Caller-Key", "key-cfg")
                .header("X-Aigw-Caller-Roles", "user")
                .header("X-Aigw-Policy", policy)
                .contentType("application/json").body(body(model, false)).post(CHAT);
        return r.statusCode() == 200 ? r.header("x-aigw-provider") : String.valueOf(r.statusCode());
    }

    static int catalogReads() {
        return AdapterMock.server.countRequestsMatching(getRequestedFor(urlEqualTo("/internal/v1/providers")).build()).getCount();
    }

    static void stubCatalog(String json) {
        AdapterMock.server.stubFor(get(urlEqualTo("/internal/v1/providers"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(json)));
    }

    @Test
    void aDisabledProviderIsNotRoutedToAndIsServedAgainWhenAdapterTurnsItBackOn() {
        Set<String> served = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            served.add(providerOf("fake-chat", "round-robin"));
        }
        assertEquals(Set.of("fake", "fakeb"), served, "round-robin over both before");

        // adapter applies the same record to the catalog it serves
        stubCatalog(AdapterMock.CATALOG.replace("\"displayName\":\"Fake B\",\"enabled\":true", "\"displayName\":\"Fake B\",\"enabled\":false"));
        int reads = catalogReads();
        topic.publish(ConfigKeys.provider("fakeb"), override("fakeb", false, null, Map.of()));
        await("fakeb listed disabled").atMost(WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> !enabled("fakeb/fake-chat"));
        int before = calls("fakeb");
        for (int i = 0; i < 6; i++) {
            assertEquals("fake", providerOf("fake-chat", "round-robin"));
        }
        assertEquals("503", providerOf("fakeb/fake-chat", "round-robin"), "pinned to a disabled provider: no candidate");
        assertEquals(before, calls("fakeb"));
        await("catalog re-read after the override").atMost(WITHIN).until(() -> catalogReads() >= reads + 2);

        // toggled back: adapter's catalog has it on again; only a re-read shows that (the refresh interval is 10 min)
        AdapterMock.stubCatalog();
        topic.publish(ConfigKeys.provider("fakeb"), null);
        await("fakeb enabled again").atMost(WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> enabled("fakeb/fake-chat"));
        served.clear();
        for (int i = 0; i < 4; i++) {
            served.add(providerOf("fake-chat", "round-robin"));
        }
        assertEquals(Set.of("fake", "fakeb"), served, "round-robin over both again");
    }

    @Test
    void aDisabledModelIsListedDisabledAndNotRoutedTo() {
        topic.publish(ConfigKeys.provider("fake"), override("fake", null, null,
                Map.of("fake-chat", new ProviderOverride.ModelOverride(false, null, null, null, null))));
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> !enabled("fake/fake-chat"));
        assertEquals(true, enabled("fake/fake-chat-large"));
        assertEquals("fakeb", providerOf("chat-default", "quality"), "the group's other member serves");
        assertEquals("503", providerOf("fake/fake-chat", "quality"));
    }

    @Test
    void aPublishedGroupReplacesTheFilesAndATombstoneRestoresIt() {
        topic.publish(ConfigKeys.group("chat-default"), new ModelGroup("chat-default", List.of("fakeb/fake-chat"), 1, Instant.now(), "test-admin"));
        topic.publish(ConfigKeys.group("cfgtest-fast"), new ModelGroup("cfgtest-fast", List.of("fakeb/fake-chat", "fake/fake-chat"), 1, Instant.now(), "test-admin"));
        await("group replaced").atMost(WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> providerOf("chat-default", "quality").equals("fakeb"));
        assertEquals("fake", providerOf("cfgtest-fast", "quality"));
        assertEquals("fakeb", providerOf("cfgtest-fast", "user-preference"), "configured order of the published group");
        given().header("X-Aigw-Internal-Token", TOKEN).get("/internal/v1/models/prices")
                .then().statusCode(200).body("models.'cfgtest-fast'.promptPer1k", equalTo("0.0015"));

        topic.publish(ConfigKeys.group("chat-default"), null);
        topic.publish(ConfigKeys.group("cfgtest-fast"), null);
        await("file's group back").atMost(WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> providerOf("chat-default", "quality").equals("fake") && providerOf("cfgtest-fast", "quality").equals("404"));
    }

    @Test
    void aBreakerResetClosesTheBreaker() {
        stub("fake", providerError(502, "UPSTREAM_5XX", 500, "fake"));
        for (int i = 0; i < 5; i++) {
            providerOf("fake/fake-chat", "quality");
        }
        assertEquals("OPEN", breakers.state("fake"));
        topic.publish(ConfigKeys.breakerReset("fake"), new BreakerReset("fake", Instant.now(), "test-admin"));
        // the breaker would only go HALF_OPEN by itself (after 1.5 s); CLOSED is the reset
        await("breaker closed").atMost(WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> given().header("X-Aigw-Internal-Token", TOKEN).get("/internal/v1/breakers").jsonPath()
                        .getString("breakers.find { it.provider == 'fake' }.state").equals("CLOSED"));
        given().get("/q/metrics").then().body(containsString("aigw_config_records_total{kind=\"breaker-reset\""));
    }

    @Test
    void publishedPricesAndPriorityChangeTheEstimateAndTheOrder() {
        topic.publish(ConfigKeys.provider("fakeb"), override("fakeb", null, 5, Map.of("fake-chat",
                new ProviderOverride.ModelOverride(null, new BigDecimal("0.5"), new BigDecimal("0.7"), null, null))));
        await("price published").atMost(WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> "0.5".equals(given().header("X-Aigw-Internal-Token", TOKEN).get("/internal/v1/models/prices")
                        .jsonPath().getString("models.'fakeb/fake-chat'.promptPer1k")));
        given().header("X-Aigw-Internal-Token", TOKEN).get("/internal/v1/models/prices").then()
                .body("models.'fake-chat'.completionPer1k", equalTo("0.7"))
                .body("models.'chat-default'.promptPer1k", equalTo("0.5"));
        assertEquals("fakeb", providerOf("fake-chat", "user-preference"), "priority 5 first in the configured order");
        assertEquals("fake", providerOf("fake-chat", "cost"), "fakeb is now the dearer one");

        topic.publish(ConfigKeys.provider("fakeb"), null);
        await("price back").atMost(WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> "0.001".equals(given().header("X-Aigw-Internal-Token", TOKEN).get("/internal/v1/models/prices")
                        .jsonPath().getString("models.'fakeb/fake-chat'.promptPer1k")));
        assertEquals("fake", providerOf("fake-chat", "user-preference"));
    }

    @Test
    void readinessSaysTheTopicIsFollowed() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'routing' }.data.configTopic", equalTo("following"))
                .body("checks.find { it.name == 'routing' }.data.configRecords", org.hamcrest.Matchers.greaterThan(0));
    }
}
