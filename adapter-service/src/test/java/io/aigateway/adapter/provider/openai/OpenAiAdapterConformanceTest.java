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

    /** The upstream call is a GenAI client span in routing's trace (child of this service's server span). */
    @org.junit.jupiter.api.Test
    void upstreamCallIsAGenAiSpanInTheCallersTrace() {
        stubs().chatJson("Hello, gateway!", 17, 23);
        String traceId = java.util.UUID.randomUUID().toString().replace("-", "");
        String routingSpan = "00f067aa0ba902b7";
        String rid = "req-" + java.util.UUID.randomUUID();
        io.restassured.RestAssured.given().header(io.aigateway.contracts.internal.AigwHeaders.INTERNAL_TOKEN, TOKEN)
                .header(io.aigateway.contracts.internal.AigwHeaders.REQUEST_ID, rid)
                .header("traceparent", "00-" + traceId + "-" + routingSpan + "-01")
                .contentType("application/json").body(body(false))
                .post("/internal/v1/providers/fake/chat").then().statusCode(200);
        var spans = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> io.aigateway.adapter.tracing.TestSpans.ofTrace(traceId), l -> l.size() >= 2);
        var server = spans.stream().filter(x -> x.getKind() == io.opentelemetry.api.trace.SpanKind.SERVER).findFirst().orElseThrow();
        var call = spans.stream().filter(x -> x.getName().equals("chat fake-chat")).findFirst().orElseThrow();
        org.junit.jupiter.api.Assertions.assertEquals(routingSpan, server.getParentSpanId());
        org.junit.jupiter.api.Assertions.assertEquals(rid, server.getAttributes().get(
                io.opentelemetry.api.common.AttributeKey.stringKey("aigw.request.id")));
        org.junit.jupiter.api.Assertions.assertEquals(server.getSpanId(), call.getParentSpanId());
        org.junit.jupiter.api.Assertions.assertEquals(io.opentelemetry.api.trace.SpanKind.CLIENT, call.getKind());
        var a = call.getAttributes();
        org.junit.jupiter.api.Assertions.assertEquals("chat", a.get(io.opentelemetry.api.common.AttributeKey.stringKey("gen_ai.operation.name")));
        org.junit.jupiter.api.Assertions.assertEquals("fake", a.get(io.opentelemetry.api.common.AttributeKey.stringKey("gen_ai.provider.name")));
        org.junit.jupiter.api.Assertions.assertEquals("fake-chat", a.get(io.opentelemetry.api.common.AttributeKey.stringKey("gen_ai.request.model")));
        org.junit.jupiter.api.Assertions.assertEquals(17L, a.get(io.opentelemetry.api.common.AttributeKey.longKey("gen_ai.usage.input_tokens")));
        org.junit.jupiter.api.Assertions.assertEquals(23L, a.get(io.opentelemetry.api.common.AttributeKey.longKey("gen_ai.usage.output_tokens")));
    }
}
