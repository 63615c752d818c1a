package io.aigateway.edge.security;

import io.aigateway.edge.support.WireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * The edge serves only its public API (API keys, checked by its handlers), health and metrics: anything else needs
 * a credential the edge never accepts, and ambiguous request-targets never reach a route.
 */
@QuarkusTest
@QuarkusTestResource(WireMockResource.class)
class EdgeDenyByDefaultTest {

    @Test
    void pathsOutsideThePublicApiAre401() {
        given().get("/internal/v1/models").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header("X-Aigw-Internal-Token", "test-internal-token").get("/internal/v1/models").then().statusCode(401);
        given().get("/q/dev-ui").then().statusCode(401);
        given().get("/q/health/live").then().statusCode(200);
        // the API documentation is open for reading only (permission api-docs), and only under its exact paths
        given().get("/q/openapi").then().statusCode(200);
        given().contentType("application/json").body("{}").post("/q/openapi").then().statusCode(401);
        given().get("/q/openapi2").then().statusCode(401);
        given().get("/q/swagger").then().statusCode(401);
        given().get("/Q/OPENAPI").then().statusCode(401);
    }

    @Test
    void ambiguousTargetsAre404BeforeAnyHandler() {
        given().urlEncodingEnabled(false).get("/v1;x/models").then().statusCode(404).body("error.code", equalTo("not_found"));
        given().urlEncodingEnabled(false).get("/v1/models/").then().statusCode(404);
        given().urlEncodingEnabled(false).get("/v1/%6dodels").then().statusCode(404);
    }

    @Test
    void aClientsInternalTokenHeaderChangesNothingOnThePublicApi() {
        // no API key: the handler's 401, not the service-token mechanism's (the edge accepts no service callers)
        given().header("X-Aigw-Internal-Token", "anything-0123456789").get("/v1/models")
                .then().statusCode(401).body("error.message", org.hamcrest.Matchers.containsString("API key"));
    }
}
