package io.aigateway.routing.preferences;

import io.aigateway.routing.breaker.ProviderBreakers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ARCHITECTURE.md "Readiness": routing stays ready and keeps routing when PostgreSQL goes down after start;
 * {@code user-preference} keeps following stored preferences from the Redis mirror, uses counted meanwhile are
 * written once PostgreSQL is back, and only the preferences API answers 503.
 */
@QuarkusTest
@TestProfile(PostgresDownProfile.class)
class PreferencesPostgresDownTest {

    static final String TOKEN = "test-internal-token";
    static final String PREFS = "/internal/v1/preferences";

    TcpProxy proxy;

    @Inject
    ProviderBreakers breakers;

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

    @Test
    void routingKeepsFollowingPreferencesFromTheMirrorWhilePostgresIsDown() throws Exception {
        breakers.resetAll();
        for (String p : List.of("fake", "fakeb")) {
            PreferencesAdapterMock.server.stubFor(post(urlEqualTo("/internal/v1/providers/" + p + "/chat"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody("{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake-chat\","
                                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
                                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}")));
        }
        PreferencesTest.poll("catalog loaded", () -> given().header("X-Aigw-Internal-Token", TOKEN)
                .get("/internal/v1/models").statusCode() == 200);
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
        PreferencesTest.poll("usage counted while PostgreSQL was down is written", () -> {
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
}
