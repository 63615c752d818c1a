package io.aigateway.edge.auth;

import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.OidcIssuer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * The issuer is unreachable from the start (nothing listens on its port): the edge starts and serves API keys; a
 * token cannot be verified, which is 503 {@code auth_unavailable} (it may well be valid), not 401.
 */
@QuarkusTest
@TestProfile(OidcIssuerDownTest.Profile.class)
class OidcIssuerDownTest {

    static final String ISSUER = "http://127.0.0.1:" + freePort() + OidcIssuer.REALM_PATH;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("AIGW_OIDC_ISSUER", ISSUER, "quarkus.oidc.edge.connection-timeout", "1S");
        }
    }

    @Inject
    RedisDataSource redis;

    @Test
    void keysWorkAndTokensAre503() {
        Keys.TestKey key = Keys.inRedis(redis, "down-" + UUID.randomUUID(), "user");
        given().header("Authorization", key.bearer()).delete("/api/v1/ai/preferences/x!").then().statusCode(400);
        String token = OidcIssuer.selfSigned(OidcIssuer.claims(ISSUER, "someone", List.of("user"), c -> { }));
        for (int i = 0; i < 2; i++) { // the first request tries to initialise the tenant, the second again
            given().header("Authorization", "Bearer " + token).get("/v1/models").then()
                    .statusCode(503)
                    .header("retry-after", "1")
                    .body("error.code", equalTo("auth_unavailable"));
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
