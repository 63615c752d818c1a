package io.aigateway.edge.security;

import io.aigateway.edge.support.WireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.nullValue;

/**
 * The web UI's paths (permission {@code web-ui}) are open to anonymous GETs, nothing else is: deny-by-default still
 * answers 401 for any other path, any other method, and case or spelling variants of the API. The UI itself is not
 * built in @QuarkusTests (Quinoa is off in the test profile), so its pages answer 404 here, never 401; the stack and
 * the UI's own tests cover what is served.
 */
@QuarkusTest
@QuarkusTestResource(WireMockResource.class)
class WebUiAccessTest {

    @Test
    void configJsonIsPublicAndNamesTheUiClient() {
        given().get("/config.json").then().statusCode(200)
                .header("content-type", "application/json")
                .body("oidcClientId", equalTo("aigw-ui"))
                .body("oidcIssuer", nullValue())
                .body("adminUrl", not(equalTo(null)));
    }

    @Test
    void theUisPathsAreNotBehindTheDenyRule() {
        for (String path : new String[]{"/", "/index.html", "/settings", "/writing", "/dictionary", "/usage", "/keys",
                "/signin", "/callback", "/admin/providers", "/admin/costs", "/assets/index.js", "/favicon.svg"}) {
            given().get(path).then().statusCode(anyOf(equalTo(200), equalTo(404)));
        }
    }

    @Test
    void everythingElseStaysDenied() {
        for (String path : new String[]{"/settings2", "/admin", "/admin/users", "/internal/v1/models", "/API/V1/AI/PREFERENCES",
                "/Api/v1/ai/keys", "/V1/models", "/anything"}) {
            given().get(path).then().statusCode(401);
        }
        given().contentType("application/json").body("{}").post("/settings").then().statusCode(401);
        given().contentType("application/json").body("{}").put("/config.json").then().statusCode(401);
        given().delete("/").then().statusCode(401);
    }
}
