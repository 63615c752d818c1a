package io.aigateway.adapter.conformance;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Points {@code fake} at WireMock and shortens the timeouts; health checks are run by the tests themselves. */
public class AdapterTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        List<String> ids = new ArrayList<>(WireMockProviderResource.TEST_PROVIDERS);
        ids.add("fake");
        for (String id : ids) {
            config.put("aigw.providers." + id + ".timeouts.first-byte", "1s");
            config.put("aigw.providers." + id + ".timeouts.between-chunks", "1s");
            config.put("aigw.providers." + id + ".timeouts.total", "3s");
            config.put("aigw.providers." + id + ".timeouts.connect", "1s");
        }
        config.put("aigw.health.enabled", "false");
        config.put("aigw.health.interval", "1h");
        config.put("aigw.health.timeout", "1s");
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(WireMockProviderResource.class),
                new TestResourceEntry(DroppingUpstreamResource.class));
    }
}
