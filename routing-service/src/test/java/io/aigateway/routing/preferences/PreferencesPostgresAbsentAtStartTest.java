package io.aigateway.routing.preferences;

import io.aigateway.routing.CatalogAwait;
import io.aigateway.testsupport.TcpProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * docs/architecture.md "Reliability": routing starts, is ready and routes without PostgreSQL; the schema migration is
 * retried in the background and the preferences API works once PostgreSQL is reachable.
 */
@QuarkusTest
@TestProfile(PostgresAbsentAtStartProfile.class)
class PreferencesPostgresAbsentAtStartTest {

    static final String TOKEN = "test-internal-token";
    static final String PREFS = "/internal/v1/preferences";

    TcpProxy proxy; // injected by PostgresProxyResource

    RequestSpecification as(String userId) {
        return given().header("X-Aigw-Internal-Token", TOKEN).header("X-Aigw-Caller-User", userId);
    }

    @Test
    void startsAndRoutesWithoutPostgresThenMigratesInTheBackground() throws Exception {
        PreferencesAdapterMock.server.stubFor(post(urlEqualTo("/internal/v1/providers/fake/chat"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake-chat\","
                                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
                                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}")));
        CatalogAwait.untilLoaded();
        String user = "pg-absent-" + UUID.randomUUID();
        try {
            given().get("/q/health/ready").then().statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.find { it.name == 'preferences' }.data.schema", equalTo("pending"));
            as(user).header("X-Aigw-Policy", "user-preference").contentType("application/json")
                    .body("{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .post("/internal/v1/route/chat").then().statusCode(200).header("x-aigw-provider", "fake");
            as(user).get(PREFS).then().statusCode(503).body("error.code", equalTo("preferences_unavailable"));
        } finally {
            proxy.resume();
        }
        await("schema migrated in the background").atMost(Duration.ofSeconds(15))
                .until(() -> given().get("/q/health/ready").jsonPath()
                        .getString("checks.find { it.name == 'preferences' }.data.schema").equals("migrated"));
        as(user).contentType("application/json")
                .body("{\"context\":\"writing\",\"provider\":\"fake\",\"model\":\"fake-chat\"}")
                .put(PREFS).then().statusCode(200);
    }
}
