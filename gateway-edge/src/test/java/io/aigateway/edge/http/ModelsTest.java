package io.aigateway.edge.http;

import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.test.junit.QuarkusTest;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;

@QuarkusTest
class ModelsTest {

    @Test
    void modelsAreRelayedAuthenticatedAndCached() {
        String models = "{\"object\":\"list\",\"data\":[{\"id\":\"chat-default\",\"object\":\"model\",\"created\":0,\"owned_by\":\"aigw\"}]}";
        WireMockResource.routing().stubFor(get(urlEqualTo("/internal/v1/models"))
                .withHeader("X-Aigw-Internal-Token", equalTo("test-internal-token"))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(models)));
        Keys.TestKey key = Keys.atAdmin("models-user", "user");

        given().get("/v1/models").then().statusCode(401).body("error.code", Matchers.equalTo("invalid_api_key"));
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", key.bearer()).get("/v1/models")
                    .then().statusCode(200)
                    .header("x-request-id", Matchers.notNullValue())
                    .body(Matchers.equalTo(models));
        }
        WireMockResource.routing().verify(1, getRequestedFor(urlEqualTo("/internal/v1/models")));
    }
}
