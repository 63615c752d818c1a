package io.aigateway.adapter.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.aigateway.adapter.conformance.AdapterTestProfile;
import io.aigateway.adapter.conformance.Capability;
import io.aigateway.adapter.conformance.OllamaWireStubs;
import io.aigateway.adapter.conformance.ProviderConformanceTest;
import io.aigateway.adapter.conformance.WireMockProviderResource;
import io.aigateway.contracts.internal.AigwHeaders;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kind {@code ollama} (test provider {@code ollamatest}) against WireMock speaking Ollama's native API. */
@QuarkusTest
@TestProfile(AdapterTestProfile.class)
class OllamaAdapterConformanceTest extends ProviderConformanceTest {

    @WireMockProviderResource.InjectWireMock
    WireMockServer wireMock;

    @Override
    protected String providerId() {
        return "ollamatest";
    }

    @Override
    protected String model() {
        return "llama3.2:latest";
    }

    @Override
    protected BigDecimal promptPricePer1k() {
        return BigDecimal.ZERO;
    }

    @Override
    protected BigDecimal completionPricePer1k() {
        return BigDecimal.ZERO;
    }

    @Override
    protected String apiKey() {
        return "sk-no-key-configured-for-ollama";
    }

    @Override
    protected Map.Entry<String, String> expectedAuthHeader() {
        return null;
    }

    @Override
    protected Set<String> allowedUpstreamHeaders() {
        return Set.of("host", "content-type", "content-length", "accept", "x-request-id", "connection",
                "transfer-encoding");
    }

    /** Ollama has no keys, credits or rate limits, and truncates prompts to num_ctx instead of failing. */
    @Override
    protected Set<Capability> notApplicable() {
        return Set.of(Capability.AUTH_401, Capability.CREDIT_402, Capability.RATE_LIMIT_429, Capability.CONTEXT_TOO_LONG);
    }

    @Override
    protected boolean relaysBodyUnchanged() {
        return false;
    }

    @Override
    protected void assertStreamRequest(JsonNode sent) {
        assertTrue(sent.get("stream").asBoolean());
        assertFalse(sent.has("stream_options"));
    }

    @Override
    protected OllamaWireStubs stubs() {
        return new OllamaWireStubs(wireMock, "/ollama", model());
    }

    @Test
    void requestIsTranslatedToNativeChat() throws Exception {
        stubs().chatJson("ok", 5, 1);
        String req = "{\"model\":\"" + model() + "\",\"temperature\":0.3,\"max_tokens\":64,\"stop\":\"END\",\"seed\":7,"
                + "\"response_format\":{\"type\":\"json_object\"},\"messages\":[{\"role\":\"system\",\"content\":\"Be brief\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}]}";
        assertEquals(200, post("req-" + UUID.randomUUID(), req, false).statusCode());
        JsonNode sent = json(stubs().chatRequests().get(0).getBodyAsString());
        assertFalse(sent.get("stream").asBoolean(), "Ollama streams by default: false must be explicit");
        assertEquals("json", sent.get("format").asText());
        assertEquals(0.3, sent.at("/options/temperature").asDouble());
        assertEquals(64, sent.at("/options/num_predict").asInt());
        assertEquals("END", sent.at("/options/stop/0").asText());
        assertEquals(7, sent.at("/options/seed").asInt());
        assertEquals("system", sent.at("/messages/0/role").asText());
        assertEquals("What is this?", sent.at("/messages/1/content").asText());
        assertEquals("iVBORw0KGgo=", sent.at("/messages/1/images/0").asText());
    }

    @Test
    void imageByUrlIsAClear400() throws Exception {
        String req = "{\"model\":\"" + model() + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"https://example.com/cat.png\"}}]}]}";
        Response r = post("req-" + UUID.randomUUID(), req, false);
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals("BAD_REQUEST", json(r.asString()).get("errorClass").asText());
        assertTrue(stubs().chatRequests().isEmpty());
    }

    @Test
    void modelsAreDiscoveredFromTags() {
        stubs().health(200);
        stubs().tags(List.of(model(), "qwen2.5-coder:7b"));
        health.check(catalog.adapter(providerId())).await().atMost(Duration.ofSeconds(5));
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).when().get("/internal/v1/providers").then().statusCode(200)
                .body("find { it.id == 'ollamatest' }.models.id", hasItems(model(), "qwen2.5-coder:7b"))
                .body("find { it.id == 'ollamatest' }.kind", org.hamcrest.Matchers.equalTo("ollama"));
        stubs().chatJson("hi", 1, 1);
        Response r = post("req-" + UUID.randomUUID(), body(false).replace(model(), "qwen2.5-coder:7b"), false);
        assertEquals(200, r.statusCode(), r.asString());
    }
}
