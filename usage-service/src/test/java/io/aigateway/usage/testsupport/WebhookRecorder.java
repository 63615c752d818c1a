package io.aigateway.usage.testsupport;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A tiny HTTP server (JDK) that records every POSTed body; the app's alert webhook points at it. */
public class WebhookRecorder implements QuarkusTestResourceLifecycleManager {

    /** Bodies received, in order. */
    public static final List<String> BODIES = new CopyOnWriteArrayList<>();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/alerts", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                BODIES.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return Map.of("aigw.quota.alerts.webhook-url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
