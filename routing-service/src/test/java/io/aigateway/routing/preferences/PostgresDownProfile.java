package io.aigateway.routing.preferences;

import io.aigateway.testsupport.PostgresProxyResource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** routing-service with its PostgreSQL behind a TcpProxy the test can cut; a short local preference cache. */
public class PostgresDownProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("aigw.preferences.cache-ttl", "300ms");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PreferencesAdapterMock.class), new TestResourceEntry(PostgresProxyResource.class));
    }
}
