package io.aigateway.adapter.provider.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.aigateway.adapter.conformance.AdapterTestProfile;
import io.aigateway.adapter.conformance.Capability;
import io.aigateway.adapter.conformance.ProviderConformanceTest;
import io.aigateway.adapter.conformance.TgiWireStubs;
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

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kind {@code tgi} (test providers {@code tgitest}, {@code tgiwait}, {@code tgifree}). */
@QuarkusTest
@TestProfile(AdapterTestProfile.class)
class TgiAdapterConformanceTest extends ProviderConformanceTest {

    @WireMockProviderResource.InjectWireMock
    WireMockServer wireMock;

    @Override
    protected String providerId() {
        return "tgitest";
    }

    @Override
    protected String model() {
        return "mistralai/Mistral-7B-Instruct-v0.3";
    }

    @Override
    protected BigDecimal promptPricePer1k() {
        return new BigDecimal("0.0001");
    }

    @Override
    protected BigDecimal completionPricePer1k() {
        return new BigDecimal("0.0002");
    }

    @Override
    protected String apiKey() {
        return WireMockProviderResource.TGI_KEY;
    }

    @Override
    protected Map.Entry<String, String> expectedAuthHeader() {
        return Map.entry("Authorization", "Bearer " + WireMockProviderResource.TGI_KEY);
    }

    @Override
    protected Set<String> allowedUpstreamHeaders() {
        return Set.of("host", "content-type", "content-length", "accept", "authorization", "x-request-id",
                "connection", "transfer-encoding");
    }

    /** No tools in /generate; TGI's 429 means overloaded (tested below); no credit errors. */
    @Override
    protected Set<Capability> notApplicable() {
        return Set.of(Capability.TOOL_CALLS, Capability.RATE_LIMIT_429, Capability.CREDIT_402);
    }

    @Override
    protected boolean relaysBodyUnchanged() {
        return false;
    }

    @Override
    protected boolean modelInBody() {
        return false;
    }

    @Override
    protected boolean passesUnknownFields() {
        return false;
    }

    @Override
    protected void assertStreamRequest(JsonNode sent) {
        assertTrue(sent.get("stream").asBoolean());
        assertTrue(sent.get("inputs").isTextual());
    }

    @Override
    protected TgiWireStubs stubs() {
        return new TgiWireStubs(wireMock, "/tgi");
    }

    @Test
    void mistralTemplateAndParameters() throws Exception {
        stubs().chatJson("Hi", 10, 1);
        String req = "{\"model\":\"" + model() + "\",\"temperature\":0.5,\"max_tokens\":50,\"stop\":[\"##\"],\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Be terse.\"},{\"role\":\"user\",\"content\":\"Hello\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hi!\"},{\"role\":\"user\",\"content\":\"Bye\"}]}";
        Response r = post("req-" + UUID.randomUUID(), req, false);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("Hi", json(r.asString()).at("/choices/0/message/content").asText(), "eos token stripped");
        JsonNode sent = json(stubs().chatRequests().get(0).getBodyAsString());
        assertEquals("<s>[INST] Be terse.\n\nHello [/INST] Hi!</s>[INST] Bye [/INST]", sent.get("inputs").asText());
        assertEquals(50, sent.at("/parameters/max_new_tokens").asInt());
        assertEquals(0.5, sent.at("/parameters/temperature").asDouble());
        assertTrue(sent.at("/parameters/do_sample").asBoolean());
        assertEquals("##", sent.at("/parameters/stop/0").asText());
        assertFalse(sent.at("/parameters/return_full_text").asBoolean());
    }

    @Test
    void llama3TemplatePerModel() throws Exception {
        stubs().chatJson("Hi", 10, 1);
        String req = "{\"model\":\"meta-llama/Meta-Llama-3-8B-Instruct\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Be terse.\"},{\"role\":\"user\",\"content\":\"Hello\"}]}";
        assertEquals(200, post("req-" + UUID.randomUUID(), req, false).statusCode());
        JsonNode sent = json(stubs().chatRequests().get(0).getBodyAsString());
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe terse.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
                sent.get("inputs").asText());
        assertTrue(sent.at("/parameters/stop").toString().contains("<|eot_id|>"));
    }

    @Test
    void toolsAreAClear400() throws Exception {
        String req = "{\"model\":\"" + model() + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]}";
        Response r = post("req-" + UUID.randomUUID(), req, false);
        assertEquals(400, r.statusCode(), r.asString());
        assertTrue(stubs().chatRequests().isEmpty());
    }

    @Test
    void overloaded429() throws Exception {
        stubs().error(429, null, null, "Model is overloaded", Map.of());
        expectError(502, "OVERLOADED");
    }

    @Test
    void loadingFallsBackAtOnceByDefault() throws Exception {
        stubs().generate(TgiWireStubs.loading(model(), 20.0));
        JsonNode e = expectError(502, "OVERLOADED");
        assertEquals(20000, e.get("retryAfterMs").asLong());
        assertEquals(1, stubs().chatRequests().size());
    }

    @Test
    void loadingIsAwaitedWhenConfigured() throws Exception {
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/tgiwait/generate")).inScenario("load").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(TgiWireStubs.loading("HuggingFaceH4/zephyr-7b-beta", 0.3)).willSetStateTo("ready"));
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/tgiwait/generate")).inScenario("load").whenScenarioStateIs("ready")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("x-prompt-tokens", "9").withHeader("x-generated-tokens", "2")
                        .withBody("{\"generated_text\":\"Hello there<|im_end|>\",\"details\":{\"finish_reason\":\"eos_token\",\"generated_tokens\":2}}")));
        Response r = io.restassured.RestAssured.given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).contentType("application/json")
                .body("{\"model\":\"HuggingFaceH4/zephyr-7b-beta\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/internal/v1/providers/tgiwait/chat");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("Hello there", json(r.asString()).at("/choices/0/message/content").asText());
        assertEquals(9, json(r.asString()).at("/usage/prompt_tokens").asInt());
        assertEquals(2, wireMock.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/tgiwait/generate"))).size());
        String sent = wireMock.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/tgiwait/generate")))
                .get(0).getBodyAsString();
        assertTrue(sent.contains("<|im_start|>user\\nHi<|im_end|>"), sent);
    }

    @Test
    void loadingIsAwaitedForStreamsToo() throws Exception {
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/tgiwait/generate_stream"))
                .inScenario("sload").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(TgiWireStubs.loading("HuggingFaceH4/zephyr-7b-beta", 0.3)).willSetStateTo("ready"));
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/tgiwait/generate_stream"))
                .inScenario("sload").whenScenarioStateIs("ready")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                        .withBody("data:{\"index\":1,\"token\":{\"id\":1,\"text\":\"Hey\",\"logprob\":0,\"special\":false},\"generated_text\":null,\"details\":null}\n\n"
                                + "data:{\"index\":2,\"token\":{\"id\":2,\"text\":\"<|im_end|>\",\"logprob\":0,\"special\":true},\"generated_text\":\"Hey\","
                                + "\"details\":{\"finish_reason\":\"eos_token\",\"generated_tokens\":1,\"seed\":null,\"input_length\":7}}\n\n")));
        Response r = io.restassured.RestAssured.given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).contentType("application/json")
                .accept("text/event-stream")
                .body("{\"model\":\"HuggingFaceH4/zephyr-7b-beta\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/internal/v1/providers/tgiwait/chat");
        assertEquals(200, r.statusCode(), r.asString());
        var events = events(r);
        JsonNode usage = json(events.get(events.size() - 2).data());
        assertEquals(7, usage.get("promptTokens").asInt());
        assertEquals(1, usage.get("completionTokens").asInt());
        assertTrue(r.asString().contains("\"content\":\"Hey\""));
        assertEquals(2, wireMock.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/tgiwait/generate_stream"))).size());
    }

    @Test
    void freeTierLimiterAnswersBeforeCallingAndCostsNothing() throws Exception {
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/tgifree/generate")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("x-prompt-tokens", "100")
                .withBody("{\"generated_text\":\"ok\",\"details\":{\"finish_reason\":\"eos_token\",\"generated_tokens\":100}}")));
        String body = "{\"model\":\"mistralai/Mistral-7B-Instruct-v0.3\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        for (int i = 0; i < 2; i++) {
            Response ok = io.restassured.RestAssured.given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).contentType("application/json")
                    .body(body).post("/internal/v1/providers/tgifree/chat");
            assertEquals(200, ok.statusCode(), ok.asString());
            assertEquals(0, BigDecimal.ZERO.compareTo(new BigDecimal(ok.header(AigwHeaders.COST_USD))));
        }
        Response limited = io.restassured.RestAssured.given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).contentType("application/json")
                .body(body).post("/internal/v1/providers/tgifree/chat");
        assertEquals(502, limited.statusCode());
        assertEquals("RATE_LIMITED", json(limited.asString()).get("errorClass").asText());
        assertTrue(json(limited.asString()).get("retryAfterMs").asLong() > 0);
        assertEquals(2, wireMock.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/tgifree/generate"))).size());
    }
}
