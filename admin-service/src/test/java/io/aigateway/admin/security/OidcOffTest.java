package io.aigateway.admin.security;

import io.aigateway.admin.support.AdapterWireMock;
import io.aigateway.admin.support.OidcIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** No {@code aigw.oidc.issuer} (the default test configuration): tokens are not credentials, keys work. */
@QuarkusTest
@QuarkusTestResource(AdapterWireMock.class)
class OidcOffTest {

    @Test
    void tokenIs401AndKeyIs200() {
        OidcIssuerResource issuer = new OidcIssuerResource();
        issuer.start(); // only to sign a well-formed token; this application does not trust any issuer
        String token;
        try {
            token = OidcIssuerResource.token("sub-x", "admin", List.of("admin"));
        } finally {
            issuer.stop();
        }
        given().auth().oauth2(token).get("/api/v1/ai/admin/keys").then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"));
        String key = given().header("X-Aigw-Internal-Token", "test-token-ops-00000").contentType(ContentType.JSON)
                .body(Map.of("userId", "u-off-" + UUID.randomUUID().toString().substring(0, 8),
                        "roles", List.of("admin", "user")))
                .post("/internal/v1/keys").then().statusCode(201).extract().path("key");
        given().auth().oauth2(key).get("/api/v1/ai/admin/keys?limit=1").then().statusCode(200);
    }
}
