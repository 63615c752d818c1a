package io.aigateway.adapter.provider.openai;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aigateway.adapter.conformance.AdapterTestProfile;
import io.aigateway.adapter.conformance.OpenAiWireStubs;
import io.aigateway.adapter.conformance.ProviderConformanceTest;
import io.aigateway.adapter.conformance.ProviderStubs;
import io.aigateway.adapter.conformance.WireMockProviderResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/** Kind {@code openai} (provider {@code fake}) against WireMock speaking OpenAI's exact wire format. */
@QuarkusTest
@TestProfile(AdapterTestProfile.class)
class OpenAiAdapterConformanceTest extends ProviderConformanceTest {

    @WireMockProviderResource.InjectWireMock
    WireMockServer wireMock;

    @Override
    protected String providerId() {
        return "fake";
    }

    @Override
    protected String model() {
        return "fake-chat";
    }

    @Override
    protected BigDecimal promptPricePer1k() {
        return new BigDecimal("0.0015");
    }

    @Override
    protected BigDecimal completionPricePer1k() {
        return new BigDecimal("0.002");
    }

    @Override
    protected String apiKey() {
        return WireMockProviderResource.FAKE_KEY;
    }

    @Override
    protected Map.Entry<String, String> expectedAuthHeader() {
        return Map.entry("Authorization", "Bearer " + WireMockProviderResource.FAKE_KEY);
    }

    @Override
    protected Set<String> allowedUpstreamHeaders() {
        return Set.of("host", "content-type", "content-length", "accept", "authorization", "x-request-id",
                "connection", "transfer-encoding");
    }

    @Override
    protected ProviderStubs stubs() {
        return new OpenAiWireStubs(wireMock, "/fake/v1", model());
    }
}
