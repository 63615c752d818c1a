package io.aigateway.usage.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;

/** The app with its PostgreSQL behind a proxy the test can cut. */
public class PostgresProxyProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresProxyResource.class));
    }
}
