package io.aigateway.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The machine's Redis (127.0.0.1:6379, database 1, or init argument {@value #DATABASE}) behind a {@link TcpProxy}:
 * {@code quarkus.redis.hosts} points at the proxy, and the proxy is injected into the test's {@code TcpProxy}
 * fields, so a test can cut, blackhole and resume Redis.
 */
public class RedisProxyResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "database";

    static final String HOST = "127.0.0.1";
    static final int PORT = 6379;

    private String database = "1";
    private TcpProxy proxy;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault(DATABASE, database);
    }

    @Override
    public Map<String, String> start() {
        try {
            proxy = new TcpProxy(HOST, PORT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.redis.hosts", "redis://" + HOST + ":" + proxy.port() + "/" + database);
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
