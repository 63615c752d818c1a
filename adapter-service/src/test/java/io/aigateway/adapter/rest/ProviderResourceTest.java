package io.aigateway.adapter.rest;

import io.aigateway.adapter.conformance.AdapterTestProfile;
import io.aigateway.adapter.conformance.WireMockProviderResource;
import io.aigateway.contracts.internal.AigwHeaders;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
@TestProfile(AdapterTestProfile.class)
class ProviderResourceTest {

    private static final String TOKEN = "test-internal-token";

    @Test
    void listsDefaultCatalogWithoutSecrets() {
        Response r = given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).when().get("/internal/v1/providers");
        r.then().statusCode(200)
                .body("id", hasItems("fake", "fakeb", "openai", "deepseek"))
                .body("find { it.id == 'fake' }.kind", equalTo("openai"))
                .body("find { it.id == 'fake' }.enabled", equalTo(true))
                .body("find { it.id == 'fake' }.models.id", hasItems("fake-chat", "fake-chat-large"))
                .body("find { it.id == 'fake' }.models.find { it.id == 'fake-chat-large' }.contextWindow", equalTo(32768))
                .body("find { it.id == 'fakeb' }.models.find { it.id == 'fake-chat' }.qualityScore", equalTo(0.5f))
                .body("find { it.id == 'openai' }.enabled", equalTo(false))
                .body("find { it.id == 'openai' }.healthy", equalTo(false))
                .body("find { it.id == 'deepseek' }.enabled", equalTo(false))
                .body("find { it.id == 'deepseek' }.models.id", hasItems("deepseek-chat"));
        String body = r.asString();
        assertFalse(body.contains(WireMockProviderResource.FAKE_KEY), "api key in listing");
        assertFalse(body.contains("sk-"), "key-like value in listing");
        assertFalse(body.contains("http"), "URLs in listing");
        // prices are exact decimals from configuration
        List<Map<String, Object>> list = r.jsonPath().getList("$");
        Map<String, Object> fake = list.stream().filter(p -> "fake".equals(p.get("id"))).findFirst().orElseThrow();
        assertEquals(5, ((List<?>) fake.get("models")).size() + 3);
        assert body.contains("\"promptPricePer1k\":0.0015");
        assert body.contains("\"completionPricePer1k\":0.015");
    }

    @Test
    void internalTokenRequired() {
        given().when().get("/internal/v1/providers").then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.type", equalTo("invalid_request_error"));
        given().header(AigwHeaders.INTERNAL_TOKEN, "wrong").when().get("/internal/v1/providers/fake/health")
                .then().statusCode(401);
        given().header(AigwHeaders.INTERNAL_TOKEN, "wrong").contentType("application/json")
                .body("{\"model\":\"fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/internal/v1/providers/fake/chat")
                .then().statusCode(401).body("error.message", containsString(AigwHeaders.INTERNAL_TOKEN));
    }

    /** Each route accepts only the callers it names: the provider chat only routing-service. */
    @Test
    void onlyNamedCallersGetThrough() {
        String chat = "{\"model\":\"fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        for (String token : new String[]{"test-token-edge-0000", "test-token-admin-000", "test-token-ops-00000"}) {
            given().header(AigwHeaders.INTERNAL_TOKEN, token).contentType("application/json").body(chat)
                    .post("/internal/v1/providers/fake/chat").then().statusCode(403)
                    .body("error.type", equalTo("permission_error"));
        }
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-edge-0000").get("/internal/v1/providers")
                .then().statusCode(403).body("error.type", equalTo("permission_error"));
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-admin-000").get("/internal/v1/providers").then().statusCode(200);
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-routing-0").get("/internal/v1/providers/fake/health")
                .then().statusCode(200);
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-routing-0").contentType("application/json").body("[1,2]")
                .post("/internal/v1/providers/fake/chat").then().statusCode(400);
        // a ;parameter is refused before authentication and routing
        given().header(AigwHeaders.INTERNAL_TOKEN, "test-token-edge-0000").contentType("application/json").body(chat)
                .urlEncodingEnabled(false).post("/internal;x/v1/providers/fake/chat").then().statusCode(404);
    }

    @Test
    void unknownProviderOrModelIs404ModelNotFound() {
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).contentType("application/json")
                .body("{\"model\":\"fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/internal/v1/providers/nope/chat")
                .then().statusCode(404).body("errorClass", equalTo("MODEL_NOT_FOUND"));
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).contentType("application/json")
                .body("{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/internal/v1/providers/fake/chat")
                .then().statusCode(404).body("errorClass", equalTo("MODEL_NOT_FOUND"))
                .body("model", equalTo("gpt-9")).body("provider", equalTo("fake"));
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).when().get("/internal/v1/providers/nope/health")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
    }

    @Test
    void disabledProviderIs503Auth() {
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).contentType("application/json")
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/internal/v1/providers/openai/chat")
                .then().statusCode(503).body("errorClass", equalTo("AUTH"))
                .body("message", containsString("AIGW_PROVIDERS_OPENAI_API_KEY"));
    }

    @Test
    void badBodyIs400() {
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).contentType("application/json").body("[1,2]")
                .when().post("/internal/v1/providers/fake/chat")
                .then().statusCode(400).body("errorClass", equalTo("BAD_REQUEST"));
    }

    @Test
    void healthAndMetricsAreOpen() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("aigw_adapter_requests_total"))
                .body(containsString("aigw_adapter_upstream_seconds"));
    }
}
