package io.aigateway.adapter.provider.local;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aigateway.adapter.conformance.LocalServerStubs;
import io.aigateway.adapter.conformance.ProviderConformanceTest;
import io.aigateway.adapter.conformance.WireMockProviderResource;
import io.aigateway.contracts.internal.AigwHeaders;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared by the self-hosted OpenAI-format kinds: no key, zero cost, discovery, server-type health. */
abstract class LocalServerConformanceTest extends ProviderConformanceTest {

    @WireMockProviderResource.InjectWireMock
    WireMockServer wireMock;

    protected abstract String rootPath();

    protected abstract LocalServerStubs.Server serverType();

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
        return "sk-no-key-configured-for-local";
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

    /** Self-hosted servers have no credit and no rate limits. */
    @Override
    protected Set<io.aigateway.adapter.conformance.Capability> notApplicable() {
        return Set.of(io.aigateway.adapter.conformance.Capability.CREDIT_402,
                io.aigateway.adapter.conformance.Capability.RATE_LIMIT_429);
    }

    @Override
    protected LocalServerStubs stubs() {
        return new LocalServerStubs(wireMock, rootPath(), model(), serverType());
    }

    @Test
    void enabledWithoutKeyAndFree() {
        stubs().chatJson("Hello", 100, 200);
        Response r = post("req-" + UUID.randomUUID(), body(false), false);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(0, BigDecimal.ZERO.compareTo(new BigDecimal(r.header(AigwHeaders.COST_USD))));
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).when().get("/internal/v1/providers").then().statusCode(200)
                .body("find { it.id == '" + providerId() + "' }.enabled", equalTo(true))
                .body("find { it.id == '" + providerId() + "' }.kind", equalTo(serverType() == LocalServerStubs.Server.VLLM ? "vllm" : "llamacpp"));
    }

    @Test
    void modelsAreDiscoveredInTheBackgroundAndServed() {
        String extra = serverType() == LocalServerStubs.Server.VLLM ? "mistralai/Mistral-7B-Instruct-v0.3" : "llama-3.2-3b-q8";
        stubs().health(200);
        stubs().models(List.of(model(), extra));
        health.check(catalog.adapter(providerId())).await().atMost(Duration.ofSeconds(5));
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).when().get("/internal/v1/providers").then().statusCode(200)
                .body("find { it.id == '" + providerId() + "' }.models.id", hasItems(model(), extra))
                .body("find { it.id == '" + providerId() + "' }.models.find { it.id == '" + extra + "' }.promptPricePer1k",
                        equalTo(0))
                .body("find { it.id == '" + providerId() + "' }.lastCheck", org.hamcrest.Matchers.notNullValue());
        stubs().chatJson("from the discovered model", 3, 4);
        String body = body(false).replace("\"model\":\"" + model() + "\"", "\"model\":\"" + extra + "\"");
        Response r = post("req-" + UUID.randomUUID(), body, false);
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(stubs().chatRequests().get(0).getBodyAsString().contains(extra));
    }
}
