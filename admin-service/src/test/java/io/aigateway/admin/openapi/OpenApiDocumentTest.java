package io.aigateway.admin.openapi;

import io.aigateway.admin.support.AdapterWireMock;
import io.aigateway.testsupport.OpenApiDocuments;
import io.aigateway.testsupport.RawHttp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * admin-service's OpenAPI document: the committed docs/openapi/admin-service.yaml is what the code serves (regenerate
 * with -Daigw.openapi.write=true), and the documentation paths are anonymous for reading only, without opening
 * anything else.
 */
@QuarkusTest
@QuarkusTestResource(AdapterWireMock.class)
class OpenApiDocumentTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void theCommittedDocumentIsWhatTheCodeServes() {
        String json = given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString();
        OpenApiDocuments.assertCommitted("admin-service", json);
    }

    @Test
    void documentAndSwaggerUiAreAnonymous() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("AI Gateway admin API"));
        given().get("/q/openapi.json").then().statusCode(200).body("info.title", equalTo("AI Gateway admin API"));
        given().get("/q/swagger-ui/index.html").then().statusCode(200).body(containsString("swagger"));
        // /q/swagger-ui redirects to its index /q/swagger-ui/, the one trailing slash the path guard lets through
        given().get("/q/swagger-ui").then().statusCode(200).body(containsString("swagger"));
        // authentication is proactive: a presented credential is checked on every path, these included
        given().header("Authorization", "Bearer aigw_unknown0000000000000000").get("/q/openapi").then().statusCode(401);
    }

    @Test
    void onlyReadingIsOpenAndTheApiStaysClosed() {
        given().contentType("application/json").body("{}").post("/q/openapi").then().statusCode(401);
        given().contentType("application/json").body("{}").put("/q/swagger-ui/index.html").then().statusCode(401);
        given().get("/api/v1/ai/admin/keys").then().statusCode(401);
        given().get("/q/dev-ui").then().statusCode(401);
    }

    /** Sent as written (raw socket): never the admin API's data, whatever spelling reaches the docs permission. */
    @ParameterizedTest
    @ValueSource(strings = {
            "GET /Q/OPENAPI",
            "GET /q/OpenAPI",
            "GET /q/openapi/",
            "GET /q/openapi/../../api/v1/ai/admin/keys",
            "GET /q/openapi/%2e%2e/%2e%2e/api/v1/ai/admin/keys",
            "GET /q/swagger-ui/../../api/v1/ai/admin/keys",
            "GET /q/swagger-ui/%2e%2e/%2e%2e/api/v1/ai/admin/audit",
            "GET /q/swagger-ui/..%2f..%2fapi/v1/ai/admin/keys",
            "GET /q/openapi;x/../../api/v1/ai/admin/keys",
            "GET /q/swagger-ui//api/v1/ai/admin/keys",
    })
    void pathTricksNeverReachTheApi(String requestLine) throws Exception {
        String answer = RawHttp.answer(base, requestLine, Map.of());
        String status = answer.lines().findFirst().orElse("");
        assertTrue(status.matches("HTTP/1\\.1 (400|401|404) .*"), requestLine + ": " + status);
        assertTrue(!answer.contains("\"keyId\"") && !answer.contains("\"rows\""), requestLine + ": " + answer);
    }
}
