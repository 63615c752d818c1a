package io.aigateway.routing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Where adapter-service is and how the one pooled HTTP client to it behaves. */
@ConfigMapping(prefix = "aigw.adapter")
public interface AdapterConfig {

    /** Base URL of adapter-service (env {@code AIGW_ADAPTER_URL}). */
    @WithDefault("http://127.0.0.1:8082")
    String url();

    /** Maximum pooled HTTP/1.1 connections to adapter-service. */
    @WithDefault("256")
    int poolSize();

    @WithDefault("2s")
    Duration connectTimeout();

    /**
     * Reuse connections to adapter-service (HTTP/1.1 keep-alive). A peer may close an idle pooled connection
     * just as it is reused; the request then fails as CONNECTION and is retried like any other attempt.
     */
    @WithDefault("true")
    boolean keepAlive();

    /**
     * How long an idle pooled connection is kept. Below adapter-service's idle timeout, so that routing closes idle
     * connections before the adapter does.
     */
    @WithDefault("60s")
    Duration keepAliveTimeout();

    /** Timeout of the catalog call {@code GET /internal/v1/providers}. */
    @WithDefault("5s")
    Duration catalogTimeout();
}
