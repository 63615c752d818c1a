package io.aigateway.routing.preferences;

import io.aigateway.routing.CatalogAwait;
import io.aigateway.routing.breaker.ProviderBreakers;
import io.aigateway.testsupport.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/architecture.md "Reliability": routing stays ready and keeps routing when PostgreSQL goes down after start;
 * {@code user-preference} keeps following stored preferences from the Redis mirror, uses counted meanwhile are
 * written once PostgreSQL is back, and only the preferences API answers 503. Also when PostgreSQL keeps the
 * connections open but stops answering: the API answers 503 within {@code db-api-timeout} and the usage flush
 * gives up in time, so later flushes still run.
 */
@QuarkusTest
@TestProfile(PostgresDownProfile.class)
class PreferencesPostgresDownTest {

    static final String TOKEN = "test-internal-token";
    static final String PREFS = "/internal/v1/preferences";

    TcpProxy proxy; // injected by PostgresProxyResource

    @Inject
    ProviderBreakers breakers;

    @Inject
    PreferenceService service;

    RequestSpecification as(String userId) {
        return given().header("X-Aigw-Internal-Token", TOKEN).header("X-Aigw-Caller-User", userId);
    }

    String chat(String userId) {
        Response r = as(userId).header("X-Aigw-Policy", "user-preference").header("X-Aigw-Context", "writing")
                .contentType("application/json")
                .body("{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/internal/v1/route/chat");
        r.then().statusCode(200);
        return r.header("x-aigw-provider");
    }

    void stubProviders() {
        breakers.resetAll();
        for (String p : List.of("fake", "fakeb")) {
            PreferencesAdapterMock.server.stubFor(post(urlEqualTo("/internal/v1/providers/" + p + "/chat"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody("{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake-chat\","
                                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
                                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}")));
        }
    }

    @Test
    void routingKeepsFollowingPreferencesFromTheMirrorWhilePostgresIsDown() throws Exception {
        stubProviders();
        CatalogAwait.untilLoaded();
        String user = "pg-down-" + UUID.randomUUID();
        as(user).contentType("application/json")
                .body("{\"context\":\"writing\",\"provider\":\"fakeb\",\"model\":\"fake-chat\"}")
                .put(PREFS).then().statusCode(200);
        int steered = 0;
        assertEquals("fakeb", chat(user));
        steered++;

        proxy.cut();
        try {
            // for several cache lifetimes (300 ms): every request still follows the preference (Redis mirror)
            long until = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < until) {
                assertEquals("fakeb", chat(user));
                steered++;
            }
            // a user without a mirror: configured order, not a failure
            assertEquals("fake", chat("pg-down-other-" + UUID.randomUUID()));
            given().get("/q/health/ready").then().statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.find { it.name == 'preferences' }.data.postgres", startsWith("unavailable"));
            as(user).get(PREFS).then().statusCode(503)
                    .header("retry-after", equalTo("5"))
                    .body("error.code", equalTo("preferences_unavailable"));
        } finally {
            proxy.resume();
        }

        int expected = steered;
        await("usage counted while PostgreSQL was down is written").atMost(Duration.ofSeconds(15)).until(() -> {
            Response r = as(user).get(PREFS);
            if (r.statusCode() != 200) {
                return false;
            }
            List<Map<String, Object>> list = r.jsonPath().getList("preferences");
            return list.size() == 1 && ((Number) list.get(0).get("usageCount")).intValue() == expected;
        });
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'preferences' }.data.postgres", equalTo("ok"));
    }

    @Test
    void apiAndUsageFlushGiveUpInTimeWhenPostgresStopsAnswering() throws Exception {
        stubProviders();
        CatalogAwait.untilLoaded();
        String user = "pg-hang-" + UUID.randomUUID();
        as(user).contentType("application/json")
                .body("{\"context\":\"writing\",\"provider\":\"fakeb\",\"model\":\"fake-chat\"}")
                .put(PREFS).then().statusCode(200);
        int steered = 0;
        assertEquals("fakeb", chat(user));
        steered++;

        proxy.hang();
        try {
            // the open pooled connections take the statement and never answer: 503 after db-api-timeout (3 s)
            long start = System.nanoTime();
            Response r = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> as(user).contentType("application/json")
                    .body("{\"context\":\"writing\",\"provider\":\"fake\",\"model\":\"fake-chat\"}")
                    .put(PREFS), "a PUT waited for PostgreSQL without a timeout");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            r.then().statusCode(503).header("retry-after", equalTo("5"))
                    .body("error.code", equalTo("preferences_unavailable"));
            assertTrue(tookMillis < 8_000, "503 after " + tookMillis + " ms");

            // uses counted meanwhile (from the mirror); a flush that hangs gives up after the timeout, keeps them
            for (int i = 0; i < 5; i++) {
                assertEquals("fakeb", chat(user));
                steered++;
            }
            await("a usage flush gave up on the hung PostgreSQL").atMost(Duration.ofSeconds(15))
                    .until(() -> "TimeoutException".equals(service.lastFlushError()));
            for (int i = 0; i < 5; i++) {
                assertEquals("fakeb", chat(user));
                steered++;
            }
        } finally {
            proxy.resume();
        }

        // later flushes still run: everything counted before and during the hang is written
        int expected = steered;
        await("usage counted while PostgreSQL hung is written").atMost(Duration.ofSeconds(15)).until(() -> {
            Response r = as(user).get(PREFS);
            if (r.statusCode() != 200) {
                return false;
            }
            List<Map<String, Object>> list = r.jsonPath().getList("preferences");
            return list.size() == 1 && "fakeb".equals(list.get(0).get("provider"))
                    && ((Number) list.get(0).get("usageCount")).intValue() == expected;
        });
    }
}
