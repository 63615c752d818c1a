package io.aigateway.edge.routing;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.edge.config.RoutingConfig;
import io.aigateway.edge.metrics.EdgeMetrics;
import io.aigateway.support.client.InternalCall;
import io.aigateway.support.client.InternalEndpoint;
import io.aigateway.support.client.InternalHttpClient;
import io.aigateway.support.security.ServiceCredentials;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * The edge's client to routing-service, created once: service-support's {@link InternalHttpClient} (pooled
 * keep-alive, reset only in flight, one retry on a new connection of what routing never received). Plain Vert.x (not
 * a REST client) because the chat relay streams bytes in both directions and decides its status late. The edge closes
 * a connection idle for {@code aigw.routing.keep-alive-timeout} (30 s), well before routing-service's server closes
 * it ({@code quarkus.http.idle-timeout}, 30 min).
 */
@ApplicationScoped
public class RoutingClient {

    public static final String ROUTE_CHAT = "/internal/v1/route/chat";
    public static final String MODELS = "/internal/v1/models";

    private final InternalHttpClient http;
    private final long idleTimeoutMs;

    public RoutingClient(Vertx vertx, RoutingConfig config, EdgeMetrics metrics, ServiceCredentials credentials) {
        this.idleTimeoutMs = config.idleTimeout().toMillis();
        this.http = new InternalHttpClient(vertx, InternalEndpoint.of("routing", config.url(), credentials),
                config.poolSize(), config.connectTimeout(), config.keepAliveTimeout(), metrics::routingRetry);
    }

    /**
     * A request to routing: {@code headers} (request ID, caller headers: the caller sets them) plus the edge's service
     * credential; {@code body} may be null. Nothing is sent before {@link InternalCall#send()}.
     */
    public InternalCall call(HttpMethod method, String path, MultiMap headers, Buffer body) {
        return call(method, path, headers, body, idleTimeoutMs);
    }

    /** As {@link #call(HttpMethod, String, MultiMap, Buffer)}, failing with 504 after {@code idleTimeoutMs} without a byte. */
    public InternalCall call(HttpMethod method, String path, MultiMap headers, Buffer body, long idleTimeoutMs) {
        return http.call(method, path, headers, body, idleTimeoutMs);
    }

    /** Maps a transport failure talking to routing to the client's error: never a stack trace. */
    public static ApiError transportError(Throwable t) {
        if (t instanceof ConnectException || t instanceof UnknownHostException
                || t.getClass().getName().contains("ConnectTimeout")) {
            return new ApiError(503, "api_error", "service_unavailable", null,
                    "The gateway's routing service is unavailable; please retry.", null)
                    .withHeader("retry-after", "1");
        }
        String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")
                || msg.contains("timeout period")) {
            return new ApiError(504, "api_error", "timeout", null,
                    "The gateway timed out waiting for the routing service.", null);
        }
        return new ApiError(502, "api_error", "bad_gateway", null,
                "The gateway's routing service failed to answer.", null);
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
