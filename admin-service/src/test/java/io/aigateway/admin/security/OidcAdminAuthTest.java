package io.aigateway.admin.security;

import io.aigateway.admin.support.AdapterWireMock;
import io.aigateway.admin.support.OidcIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** OIDC access tokens on the admin API (issuer: {@link OidcIssuerResource}), beside admin API keys. */
@QuarkusTest
@QuarkusTestResource(AdapterWireMock.class)
@QuarkusTestResource(value = OidcIssuerResource.class, restrictToAnnotatedClass = true)
class OidcAdminAuthTest {

    private static final String ADMIN = "/api/v1/ai/admin";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void adminTokenIsAcceptedAndAudited() {
        String sub = "sub-admin-" + RUN;
        String token = OidcIssuerResource.token(sub, "admin", List.of("admin", "user"));
        given().auth().oauth2(token).get(ADMIN + "/keys?limit=1").then().statusCode(200);
        String keyId = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("userId", "u-oidc-" + RUN, "roles", List.of("user"), "name", "from a token"))
                .post(ADMIN + "/keys").then().statusCode(201).body("key", startsWith("aigw_"))
                .extract().path("keyId");
        given().auth().oauth2(token).get(ADMIN + "/audit?target=key:" + keyId).then().statusCode(200)
                .body("rows[0].action", equalTo("key.create"))
                .body("rows[0].actor", equalTo(sub))
                .body("rows[0].actorUser", equalTo("admin"));
    }

    @Test
    void userTokenIsForbidden() {
        String token = OidcIssuerResource.token("sub-demo-" + RUN, "demo", List.of("user"));
        given().auth().oauth2(token).get(ADMIN + "/keys").then().statusCode(403)
                .body("error.code", equalTo("forbidden"));
    }

    @Test
    void badTokensAre401InTheEnvelope() {
        List<String> bad = List.of(
                OidcIssuerResource.token("s", "admin", List.of("admin"), "aigw", Instant.now().minusSeconds(120), false),
                OidcIssuerResource.token("s", "admin", List.of("admin"), "someone-else", Instant.now().plusSeconds(300), false),
                OidcIssuerResource.token("s", "admin", List.of("admin"), "aigw", Instant.now().plusSeconds(300), true),
                "not.a.jwt",
                "garbage");
        for (String token : bad) {
            given().auth().oauth2(token).get(ADMIN + "/keys").then().statusCode(401)
                    .body("error.type", equalTo("invalid_request_error"));
        }
    }

    @Test
    void adminKeyStillWorks() {
        String key = given().header("X-Aigw-Internal-Token", "test-token-ops-00000").contentType(ContentType.JSON)
                .body(Map.of("userId", "u-key-" + RUN, "roles", List.of("admin", "user")))
                .post("/internal/v1/keys").then().statusCode(201).extract().path("key");
        given().auth().oauth2(key).get(ADMIN + "/keys?limit=1").then().statusCode(200);
        given().auth().oauth2("aigw_unknownunknownunknownunknown0000").get(ADMIN + "/keys").then().statusCode(401);
    }
}
