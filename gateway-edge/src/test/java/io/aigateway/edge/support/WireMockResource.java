package io.aigateway.edge.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/** Two WireMock servers on dynamic ports standing in for routing-service and admin-service. */
public class WireMockResource implements QuarkusTestResourceLifecycleManager {

    private static volatile WireMockServer routing;
    private static volatile WireMockServer admin;

    public static WireMockServer routing() {
        return routing;
    }

    public static WireMockServer admin() {
        return admin;
    }

    @Override
    public Map<String, String> start() {
        routing = new WireMockServer(WireMockConfiguration.options().dynamicPort().asynchronousResponseEnabled(true));
        admin = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        routing.start();
        admin.start();
        // admin-service: unknown keys are 404 unless a test registers one
        admin.stubFor(get(urlPathMatching("/internal/v1/keys/.*")).atPriority(10)
                .willReturn(aResponse().withStatus(404)));
        return Map.of(
                "aigw.routing.url", routing.baseUrl(),
                "aigw.admin.url", admin.baseUrl(),
                // usage-service (GET /api/v1/ai/usage) is stubbed on the admin server: paths do not overlap
                "aigw.usage-service.url", admin.baseUrl());
    }

    @Override
    public void stop() {
        if (routing != null) {
            routing.stop();
        }
        if (admin != null) {
            admin.stop();
        }
    }
}
