package io.aigateway.routing.models;

import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.routing.AdapterMock;
import io.aigateway.routing.CatalogAwait;
import io.aigateway.routing.adapter.AttemptFailure;
import io.aigateway.routing.breaker.ProviderBreakers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/** {@code GET /internal/v1/models/catalog} over HTTP with adapter-service's catalog from WireMock. */
@QuarkusTest
@WithTestResource(AdapterMock.class)
class ModelCatalogResourceTest {

    static final String EDGE = "test-token-edge-0000";
    static final String ADMIN = "test-token-admin-000";
    static final String OPS = "test-token-ops-00000";
    static final String ROUTING = "test-token-routing-0";

    @Inject
    ProviderBreakers breakers;

    @BeforeEach
    void loaded() {
        CatalogAwait.untilLoaded();
    }

    @AfterEach
    void closeBreakers() {
        breakers.resetAll();
    }

    @Test
    void everyModelWithCapabilitiesPricesAndAvailabilityPlusTheGroups() {
        given().header("X-Aigw-Internal-Token", EDGE).get("/internal/v1/models/catalog").then().statusCode(200)
                .body("models.find { it.id == 'fake/fake-chat' }.provider", equalTo("fake"))
                .body("models.find { it.id == 'fake/fake-chat' }.model", equalTo("fake-chat"))
                .body("models.find { it.id == 'fake/fake-chat' }.displayName", equalTo("Fake chat"))
                .body("models.find { it.id == 'fake/fake-chat' }.contextWindow", equalTo(8192))
                .body("models.find { it.id == 'fake/fake-chat' }.capabilities.streaming", equalTo(true))
                .body("models.find { it.id == 'fake/fake-chat' }.capabilities.json", equalTo(true))
                .body("models.find { it.id == 'fake/fake-chat' }.capabilities.vision", equalTo(false))
                .body("models.find { it.id == 'fake/fake-chat' }.pricing.promptPer1k", equalTo("0.0015"))
                .body("models.find { it.id == 'fake/fake-chat' }.pricing.currency", equalTo("USD"))
                .body("models.find { it.id == 'fake/fake-chat' }.enabled", equalTo(true))
                .body("models.find { it.id == 'fake/fake-chat' }.qualityScore", equalTo(0.6f))
                .body("models.find { it.id == 'fake/fake-chat' }.availability.status", equalTo("available"))
                .body("models.find { it.id == 'fake/fake-chat' }.availability.health", equalTo("healthy"))
                .body("models.find { it.id == 'fake/fake-chat' }.availability.breaker", equalTo("CLOSED"))
                .body("models.find { it.id == 'down/down-model' }.enabled", equalTo(false))
                .body("models.find { it.id == 'down/down-model' }.pricing.promptPer1k", nullValue())
                .body("models.find { it.id == 'down/down-model' }.availability.status", equalTo("unavailable"))
                .body("groups.find { it.name == 'chat-default' }.members", equalTo(java.util.List.of("fake/fake-chat", "fakeb/fake-chat")))
                .body("groups.name", hasItem("down-group"));
    }

    @Test
    void aProviderWhoseBreakerIsOpenIsUnavailable() {
        for (int i = 0; i < 10 && !"OPEN".equals(breakers.state("fakeb")); i++) {
            breakers.call("fakeb", () -> Uni.createFrom().failure(new AttemptFailure(
                    new ProviderError(ErrorClass.UPSTREAM_5XX, 500, null, "boom", "fakeb", "fake-chat"), 502)))
                    .onFailure().recoverWithNull().await().indefinitely();
        }
        given().header("X-Aigw-Internal-Token", ADMIN).get("/internal/v1/models/catalog").then().statusCode(200)
                .body("models.find { it.id == 'fakeb/fake-chat' }.availability.breaker", equalTo("OPEN"))
                .body("models.find { it.id == 'fakeb/fake-chat' }.availability.status", equalTo("unavailable"))
                .body("models.find { it.id == 'fake/fake-chat' }.availability.status", equalTo("available"));
    }

    @Test
    void opsMayReadOtherCallersMayNot() {
        given().header("X-Aigw-Internal-Token", OPS).get("/internal/v1/models/catalog").then().statusCode(200);
        given().get("/internal/v1/models/catalog").then().statusCode(401);
        given().header("X-Aigw-Internal-Token", ROUTING).get("/internal/v1/models/catalog").then().statusCode(403);
    }
}
