package io.aigateway.edge.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.edge.support.WireMockResource;
import io.aigateway.testsupport.OpenApiDocuments;
import io.aigateway.testsupport.RawHttp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge's OpenAPI document (src/main/resources/META-INF/openapi.yaml, written by hand because the routes are plain
 * Vert.x routes): it names exactly the public routes the edge registers, the committed docs/openapi/gateway-edge.yaml
 * is what /q/openapi serves (regenerate with -Daigw.openapi.write=true), and the documentation paths are anonymous
 * for reading only, without opening anything else.
 */
@QuarkusTest
@QuarkusTestResource(WireMockResource.class)
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @TestHTTPResource("/")
    URL base;

    @Inject
    RouterCapture routerCapture;

    private String served() {
        return given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString();
    }

    @Test
    void theCommittedDocumentIsWhatTheEdgeServes() {
        OpenApiDocuments.assertCommitted("gateway-edge", served());
    }

    @Test
    void theDocumentNamesExactlyThePublicRoutesTheEdgeRegisters() throws Exception {
        Set<String> registered = new TreeSet<>();
        for (Route route : routerCapture.router().getRoutes()) {
            Set<HttpMethod> methods = route.methods();
            String path = route.getPath() != null ? route.getPath() : route.getName();
            if (methods == null || methods.isEmpty() || path == null
                    || !(path.startsWith("/v1/") || path.startsWith("/api/v1/ai/"))) {
                continue; // 404/405/failure handlers, the UI, health and the like
            }
            String openApiPath = path.replaceAll(":([A-Za-z]+)", "{$1}").replaceAll("\\(\\?<([A-Za-z]+)>[^)]*\\)", "{$1}");
            methods.forEach(m -> registered.add(m.name() + " " + openApiPath));
        }
        Set<String> documented = new TreeSet<>();
        JsonNode paths = new ObjectMapper().readTree(served()).path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            path.getValue().fieldNames().forEachRemaining(m -> {
                if (METHODS.contains(m)) {
                    documented.add(m.toUpperCase() + " " + path.getKey());
                }
            });
        }
        assertFalse(registered.isEmpty(), "no public route found on the router");
        assertEquals(registered, documented, "the edge's public routes (left) and META-INF/openapi.yaml (right) differ");
    }

    @Test
    void documentAndSwaggerUiAreAnonymous() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("AI Gateway public API"));
        given().get("/q/openapi.json").then().statusCode(200).body("info.title", equalTo("AI Gateway public API"));
        given().get("/q/swagger-ui/index.html").then().statusCode(200).body(containsString("swagger"));
        // /q/swagger-ui redirects to its index /q/swagger-ui/, the one trailing slash the path guard lets through
        given().get("/q/swagger-ui").then().statusCode(200).body(containsString("swagger"));
        // API keys are checked by the API's handlers only: a key, valid or not, changes nothing here
        given().header("Authorization", "Bearer aigw_unknown0000000000000000").get("/q/openapi").then().statusCode(200);
    }

    @Test
    void onlyReadingIsOpenAndEverythingElseStaysClosed() {
        given().contentType("application/json").body("{}").post("/q/openapi").then().statusCode(401);
        given().contentType("application/json").body("{}").put("/q/swagger-ui/index.html").then().statusCode(401);
        given().get("/q/dev-ui").then().statusCode(401);
        given().get("/internal/v1/models").then().statusCode(401);
        given().get("/api/v1/ai/keys").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
    }

    /** Sent as written (raw socket): never API data, whatever spelling reaches the docs permission. */
    @ParameterizedTest
    @ValueSource(strings = {
            "GET /Q/OPENAPI",
            "GET /q/OpenAPI",
            "GET /q/openapi/",
            "GET /q/openapi/../../api/v1/ai/keys",
            "GET /q/openapi/%2e%2e/%2e%2e/api/v1/ai/keys",
            "GET /q/swagger-ui/../../api/v1/ai/usage",
            "GET /q/swagger-ui/%2e%2e/%2e%2e/internal/v1/models",
            "GET /q/swagger-ui/..%2f..%2fapi/v1/ai/keys",
            "GET /q/openapi;x/../../api/v1/ai/keys",
            "GET /q/swagger-ui//internal/v1/models",
    })
    void pathTricksNeverReachAnApi(String requestLine) throws Exception {
        String answer = RawHttp.answer(base, requestLine, Map.of());
        String status = answer.lines().findFirst().orElse("");
        assertTrue(status.matches("HTTP/1\\.1 (400|401|404) .*"), requestLine + ": " + status);
        assertFalse(answer.contains("\"keyId\"") || answer.contains("\"limits\"") || answer.contains("\"data\""),
                requestLine + ": " + answer);
    }
}
