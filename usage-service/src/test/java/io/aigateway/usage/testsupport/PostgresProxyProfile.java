package io.aigateway.usage.testsupport;

import io.aigateway.testsupport.PostgresProxyResource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The app with its PostgreSQL behind a proxy the test can cut; short DB retry back-off; offsets committed every
 * 100 ms, so a record acked too early would show in the group's committed offset within one back-off.
 */
public class PostgresProxyProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("aigw.usage.retry.max-backoff", "1s",
                "mp.messaging.incoming.usage-in.auto.commit.interval.ms", "100");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresProxyResource.class));
    }
}
