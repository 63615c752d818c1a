package io.aigateway.adapter.provider.hf;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aigateway.adapter.conformance.AdapterTestProfile;
import io.aigateway.adapter.conformance.OpenAiWireStubs;
import io.aigateway.adapter.conformance.ProviderConformanceTest;
import io.aigateway.adapter.conformance.WireMockProviderResource;
import io.aigateway.contracts.internal.AigwHeaders;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Kind {@code hf-router} (test provider {@code hftest}): the router speaks OpenAI's format (PROVIDERS.md). */
@QuarkusTest
@TestProfile(AdapterTestProfile.class)
class HfRouterAdapterConformanceTest extends ProviderConformanceTest {

    @WireMockProviderResource.InjectWireMock
    WireMockServer wireMock;

    @Override
    protected String providerId() {
        return "hftest";
    }

    @Override
    protected String model() {
        return "meta-llama/Llama-3.1-8B-Instruct";
    }

    @Override
    protected BigDecimal promptPricePer1k() {
        return new BigDecimal("0.0002");
    }

    @Override
    protected BigDecimal completionPricePer1k() {
        return new BigDecimal("0.0006");
    }

    @Override
    protected String apiKey() {
        return WireMockProviderResource.HF_KEY;
    }

    @Override
    protected Map.Entry<String, String> expectedAuthHeader() {
        return Map.entry("Authorization", "Bearer " + WireMockProviderResource.HF_KEY);
    }

    @Override
    protected Set<String> allowedUpstreamHeaders() {
        return Set.of("host", "content-type", "content-length", "accept", "authorization", "x-request-id",
                "connection", "transfer-encoding");
    }

    @Override
    protected OpenAiWireStubs stubs() {
        return new OpenAiWireStubs(wireMock, "/hf/v1", model());
    }

    @Test
    void policySuffixesPassThroughWithTheBaseModelsPrices() throws Exception {
        for (String suffix : new String[]{":cheapest", ":fastest"}) {
            stubs().reset();
            stubs().chatJson("ok", 1000, 1000);
            Response r = post("req-" + UUID.randomUUID(), body(false).replace(model(), model() + suffix), false);
            assertEquals(200, r.statusCode(), r.asString());
            assertEquals(model() + suffix, json(stubs().chatRequests().get(0).getBodyAsString()).get("model").asText());
            assertEquals(0, expectedCost(1000, 1000).compareTo(new BigDecimal(r.header(AigwHeaders.COST_USD))));
        }
        Response unknown = post("req-" + UUID.randomUUID(), body(false).replace(model(), "other/model:cheapest"), false);
        assertEquals(404, unknown.statusCode());
    }
}
