package io.aigateway.routing.preferences;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** routing-service started while its PostgreSQL (behind a cut {@link TcpProxy}) is unreachable; migration retried every 1 s. */
public class PostgresAbsentAtStartProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("aigw.preferences.migrate-retry-interval", "1s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PreferencesAdapterMock.class), new TestResourceEntry(CutProxyResource.class));
    }

    public static class CutProxyResource implements QuarkusTestResourceLifecycleManager {

        private TcpProxy proxy;

        @Override
        public Map<String, String> start() {
            try {
                proxy = new TcpProxy("127.0.0.1", 5432);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            proxy.cut();
            return Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + proxy.port() + "/test",
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test");
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(proxy, new TestInjector.MatchesType(TcpProxy.class));
        }

        @Override
        public void stop() {
            if (proxy != null) {
                proxy.close();
            }
        }
    }
}
