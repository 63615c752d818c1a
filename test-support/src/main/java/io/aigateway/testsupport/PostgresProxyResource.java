package io.aigateway.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The test PostgreSQL (127.0.0.1:5432, database {@code test}) behind a {@link TcpProxy}: the reactive and the JDBC
 * (Flyway) datasource point at the proxy, and the proxy is injected into the test's {@code TcpProxy} fields, so a
 * test can cut, hang and resume PostgreSQL. Init argument {@value #CUT_AT_START}{@code =true}: the proxy is cut
 * before the application starts (PostgreSQL unreachable at start).
 */
public class PostgresProxyResource implements QuarkusTestResourceLifecycleManager {

    public static final String CUT_AT_START = "cut-at-start";

    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    static final String DATABASE = "test";

    private boolean cutAtStart;
    private TcpProxy proxy;

    @Override
    public void init(Map<String, String> initArgs) {
        cutAtStart = Boolean.parseBoolean(initArgs.getOrDefault(CUT_AT_START, "false"));
    }

    @Override
    public Map<String, String> start() {
        try {
            proxy = new TcpProxy(HOST, PORT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (cutAtStart) {
            proxy.cut();
        }
        String at = HOST + ":" + proxy.port() + "/" + DATABASE;
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + at,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + at);
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
