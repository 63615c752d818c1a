package io.aigateway.adapter.conformance;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** Points {@code fake} at WireMock and shortens the timeouts; health checks are run by the tests themselves. */
public class AdapterTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "aigw.providers.fake.timeouts.first-byte", "1s",
                "aigw.providers.fake.timeouts.between-chunks", "1s",
                "aigw.providers.fake.timeouts.total", "3s",
                "aigw.providers.fake.timeouts.connect", "1s",
                "aigw.health.enabled", "false",
                "aigw.health.interval", "1h",
                "aigw.health.timeout", "1s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(WireMockProviderResource.class),
                new TestResourceEntry(DroppingUpstreamResource.class));
    }
}
