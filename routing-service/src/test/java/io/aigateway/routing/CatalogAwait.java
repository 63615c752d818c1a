package io.aigateway.routing;

import io.aigateway.contracts.internal.AigwHeaders;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * routing-service reads the provider catalog from adapter-service (a WireMock stand-in in these tests) in the
 * background and answers 503 until it has one: tests that route wait for it first.
 */
public final class CatalogAwait {

    static final String TOKEN = "test-internal-token";

    private CatalogAwait() {
    }

    /** Returns once {@code GET /internal/v1/models} answers 200 (the catalog is loaded); fails after 15 s. */
    public static void untilLoaded() {
        await("catalog loaded").atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO)
                .until(() -> given().header(AigwHeaders.INTERNAL_TOKEN, TOKEN).get("/internal/v1/models").statusCode() == 200);
    }
}
