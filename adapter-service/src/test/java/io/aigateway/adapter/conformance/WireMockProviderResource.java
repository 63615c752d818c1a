package io.aigateway.adapter.conformance;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** A WireMock server on a dynamic port standing in for the provider; the {@code fake} provider points at it. */
public class WireMockProviderResource implements QuarkusTestResourceLifecycleManager {

    /** The key the test configures for {@code fake}: it must reach the provider and never leak anywhere else. */
    public static final String FAKE_KEY = "sk-test-fake-key-1234567890";

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectWireMock {
    }

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().asynchronousResponseEnabled(true));
        server.start();
        String base = "http://localhost:" + server.port();
        return Map.of(
                "aigw.providers.fake.base-url", base + "/fake/v1",
                "aigw.providers.fake.api-key", FAKE_KEY);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
