package io.aigateway.edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Where routing-service is and how the edge's one connection pool to it behaves ({@code aigw.routing.*}). */
@ConfigMapping(prefix = "aigw.routing")
public interface RoutingConfig {

    @WithDefault("http://127.0.0.1:8081")
    String url();

    @WithDefault("200")
    int poolSize();

    @WithDefault("2s")
    Duration connectTimeout();

    /**
     * Pooled connections idle longer than this are closed by the edge (checked every second). Must be well below
     * routing-service's {@code quarkus.http.idle-timeout} (30 min) and any proxy's idle timeout in between: the client
     * has to close an idle connection before the server does, or a request may be written on a connection the server
     * is closing (such a request is retried once, see {@code InternalHttpClient#connectionLost} in service-support).
     */
    @WithDefault("30s")
    Duration keepAliveTimeout();

    /** A request with no bytes from routing for this long fails with 504 (streams: between chunks). */
    @WithDefault("90s")
    Duration idleTimeout();
}
