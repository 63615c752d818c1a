package io.aigateway.routing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Follows ai.config.v1 on the test broker (off in the other tests); the catalog is re-read only after overrides. */
public class ConfigTopicProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("aigw.config-topic.enabled", "true",
                "aigw.config-topic.retry-interval", "500ms",
                "aigw.catalog.refresh-interval", "10m");
    }
}
