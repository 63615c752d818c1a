package io.aigateway.admin.security;

import io.aigateway.admin.support.AdapterWireMock;
import io.aigateway.admin.support.OidcIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The issuer does not answer (nothing listens on its port): the service starts, keys work, a token gets 503. */
@QuarkusTest
@QuarkusTestResource(AdapterWireMock.class)
@TestProfile(OidcIssuerDownTest.IssuerDown.class)
class OidcIssuerDownTest {

    public static class IssuerDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aigw.oidc.issuer", "http://127.0.0.1:9/realms/aigw",
                    "quarkus.oidc.connection-timeout", "1s");
        }
    }

    @Test
    void tokenIs503AndKeyIs200() {
        OidcIssuerResource issuer = new OidcIssuerResource();
        issuer.start(); // only to sign a well-formed token
        String token;
        try {
            token = OidcIssuerResource.token("sub-x", "admin", List.of("admin"));
        } finally {
            issuer.stop();
        }
        given().auth().oauth2(token).get("/api/v1/ai/admin/keys").then().statusCode(503)
                .body("error.code", equalTo("identity_provider_unavailable"));
        String key = given().header("X-Aigw-Internal-Token", "test-token-ops-00000").contentType(ContentType.JSON)
                .body(Map.of("userId", "u-down-" + UUID.randomUUID().toString().substring(0, 8),
                        "roles", List.of("admin", "user")))
                .post("/internal/v1/keys").then().statusCode(201).extract().path("key");
        given().auth().oauth2(key).get("/api/v1/ai/admin/keys?limit=1").then().statusCode(200);
    }
}
