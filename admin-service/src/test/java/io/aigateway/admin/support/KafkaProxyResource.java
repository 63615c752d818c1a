package io.aigateway.admin.support;

import io.aigateway.testsupport.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The test Kafka ({@code aigw.test.kafka}) behind a {@link TcpProxy} that starts CUT: admin-service's publisher
 * bootstraps through the proxy, so Kafka is unreachable until the test calls {@code resume()}. (After bootstrap
 * a client talks to the broker's advertised address directly, so the proxy can stage "down, then back", not a
 * later outage.)
 */
public class KafkaProxyResource implements QuarkusTestResourceLifecycleManager {

    private TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        String bootstrap = System.getProperty("aigw.test.kafka", "127.0.0.1:19092");
        int colon = bootstrap.lastIndexOf(':');
        try {
            proxy = new TcpProxy(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        proxy.cut();
        return Map.of("aigw.config-publish.bootstrap-servers", "127.0.0.1:" + proxy.port(),
                "aigw.config-publish.send-timeout", "2s");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(proxy, new TestInjector.MatchesType(TcpProxy.class));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
