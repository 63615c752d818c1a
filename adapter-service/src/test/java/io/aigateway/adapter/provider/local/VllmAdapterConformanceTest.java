package io.aigateway.adapter.provider.local;

import io.aigateway.adapter.conformance.AdapterTestProfile;
import io.aigateway.adapter.conformance.LocalServerStubs;
import io.aigateway.contracts.internal.AigwHeaders;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Kind {@code vllm} (test provider {@code vllmtest}; a second instance {@code vllmb} runs beside it). */
@QuarkusTest
@TestProfile(AdapterTestProfile.class)
class VllmAdapterConformanceTest extends LocalServerConformanceTest {

    @Override
    protected String providerId() {
        return "vllmtest";
    }

    @Override
    protected String model() {
        return "meta-llama/Llama-3.1-8B-Instruct";
    }

    @Override
    protected String rootPath() {
        return "/vllm";
    }

    @Override
    protected LocalServerStubs.Server serverType() {
        return LocalServerStubs.Server.VLLM;
    }

    @Test
    void twoInstancesOfOneKindAreIndependent() {
        LocalServerStubs b = new LocalServerStubs(wireMock, "/vllmb", "Qwen/Qwen2.5-7B-Instruct", LocalServerStubs.Server.VLLM);
        b.health(503);
        health.check(catalog.adapter("vllmb")).await().atMost(Duration.ofSeconds(5));
        stubs().health(200);
        health.check(catalog.adapter("vllmtest")).await().atMost(Duration.ofSeconds(5));
        given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).when().get("/internal/v1/providers").then().statusCode(200)
                .body("find { it.id == 'vllmb' }.kind", equalTo("vllm"))
                .body("find { it.id == 'vllmb' }.healthy", equalTo(false))
                .body("find { it.id == 'vllmtest' }.healthy", equalTo(true));
        assertEquals(1, b.healthRequests().size(), "unhealthy server: no model discovery");
    }
}
