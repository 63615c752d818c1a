package io.aigateway.edge.auth;

import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.OidcIssuer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** No {@code AIGW_OIDC_ISSUER} (the test default): OIDC is off, a token is 401 {@code invalid_token}, keys work. */
@QuarkusTest
class OidcOffTest {

    @Inject
    RedisDataSource redis;

    @Test
    void tokensAre401AndKeysWork() {
        String token = OidcIssuer.selfSigned(OidcIssuer.claims("http://127.0.0.1:1/realms/aigw", "someone",
                List.of("user"), c -> { }));
        given().header("Authorization", "Bearer " + token).get("/api/v1/ai/preferences").then()
                .statusCode(401).body("error.code", equalTo("invalid_token"));
        Keys.TestKey key = Keys.inRedis(redis, "off-" + UUID.randomUUID(), "user");
        given().header("Authorization", key.bearer()).delete("/api/v1/ai/preferences/x!").then().statusCode(400);
    }
}
