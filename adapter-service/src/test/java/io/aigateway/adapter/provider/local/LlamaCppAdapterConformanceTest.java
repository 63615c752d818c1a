package io.aigateway.adapter.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigateway.adapter.conformance.AdapterTestProfile;
import io.aigateway.adapter.conformance.LocalServerStubs;
import io.aigateway.contracts.internal.AigwHeaders;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Kind {@code llamacpp} (test provider {@code llamatest}). */
@QuarkusTest
@TestProfile(AdapterTestProfile.class)
class LlamaCppAdapterConformanceTest extends LocalServerConformanceTest {

    @Override
    protected String providerId() {
        return "llamatest";
    }

    @Override
    protected String model() {
        return "qwen2.5-7b-instruct-q4_k_m";
    }

    @Override
    protected String rootPath() {
        return "/llama";
    }

    @Override
    protected LocalServerStubs.Server serverType() {
        return LocalServerStubs.Server.LLAMACPP;
    }

    @Test
    void loadingModelIsUnhealthyWithReason() {
        stubs().health(503);
        health.check(catalog.adapter(providerId())).await().atMost(Duration.ofSeconds(5));
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).when().get("/internal/v1/providers/" + providerId() + "/health")
                .then().statusCode(200).body("healthy", equalTo(false)).body("detail", containsString("loading model"));
        stubs().health(200);
        health.check(catalog.adapter(providerId())).await().atMost(Duration.ofSeconds(5));
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).when().get("/internal/v1/providers/" + providerId() + "/health")
                .then().statusCode(200).body("healthy", equalTo(true));
    }

    /** Source: llama.cpp tools/server (format_error_response, ERROR_TYPE_EXCEED_CONTEXT_SIZE): integer code. */
    @Test
    void exceedContextSizeIsContextTooLong() throws Exception {
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/llama/v1/chat/completions")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size, try increasing it\","
                        + "\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":9000,\"n_ctx\":8192}}")));
        JsonNode e = expectError(502, "CONTEXT_TOO_LONG");
        org.junit.jupiter.api.Assertions.assertEquals(400, e.get("providerStatus").asInt());
    }
}
