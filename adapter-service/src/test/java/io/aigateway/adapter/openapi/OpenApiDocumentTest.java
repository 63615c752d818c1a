package io.aigateway.adapter.openapi;

import io.aigateway.adapter.conformance.AdapterTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.aigateway.testsupport.OpenApiDocuments;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * adapter-service's OpenAPI document: the committed docs/openapi/adapter-service.yaml is what the code serves (regenerate with
 * -Daigw.openapi.write=true). An internal API: the document needs a service credential like every other path, and so
 * does Swagger UI, which exists only in dev and test mode (InternalEndpointSecurityIT checks the packaged service).
 */
@QuarkusTest
@TestProfile(AdapterTestProfile.class)
class OpenApiDocumentTest {

    private static final String OPS = "test-token-ops-00000";

    @Test
    void theCommittedDocumentIsWhatTheCodeServes() {
        String json = given().header("X-Aigw-Internal-Token", OPS).accept("application/json")
                .get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        OpenApiDocuments.assertCommitted("adapter-service", json);
    }

    @Test
    void theDocumentNeedsAServiceCredential() {
        given().get("/q/openapi").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().get("/q/openapi.json").then().statusCode(401);
        given().header("X-Aigw-Internal-Token", "wrong-token-0123456789").get("/q/openapi").then().statusCode(401);
        given().get("/q/swagger-ui/index.html").then().statusCode(401);
        given().header("X-Aigw-Internal-Token", OPS).get("/q/openapi").then().statusCode(200);
    }
}
