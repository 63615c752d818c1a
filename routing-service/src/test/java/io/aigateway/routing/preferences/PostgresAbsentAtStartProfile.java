package io.aigateway.routing.preferences;

import io.aigateway.testsupport.PostgresProxyResource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** routing-service started while its PostgreSQL (behind a cut TcpProxy) is unreachable; migration retried every 1 s. */
public class PostgresAbsentAtStartProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("aigw.preferences.migrate-retry-interval", "1s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PreferencesAdapterMock.class),
                new TestResourceEntry(PostgresProxyResource.class, Map.of(PostgresProxyResource.CUT_AT_START, "true")));
    }
}
