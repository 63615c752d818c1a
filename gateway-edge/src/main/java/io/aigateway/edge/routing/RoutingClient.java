package io.aigateway.edge.routing;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.edge.config.RoutingConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * The edge's one pooled, keep-alive HTTP client to routing-service, created once. Plain Vert.x (not a
 * REST client) because the chat relay streams bytes in both directions and decides its status late.
 */
@ApplicationScoped
public class RoutingClient {

    public static final String ROUTE_CHAT = "/internal/v1/route/chat";
    public static final String MODELS = "/internal/v1/models";

    private final HttpClient client;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String basePath;
    private final long idleTimeoutMs;

    public RoutingClient(Vertx vertx, RoutingConfig config) {
        URI uri = URI.create(config.url());
        this.ssl = "https".equalsIgnoreCase(uri.getScheme());
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.idleTimeoutMs = config.idleTimeout().toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) Math.max(1, config.keepAliveTimeout().toSeconds()))
                .setMaxPoolSize(config.poolSize())
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setTcpNoDelay(true)
                .setTryUseCompression(false)
                .setSsl(ssl));
    }

    /** Opens a request to routing (a pooled connection); headers are added by the caller. */
    public Future<HttpClientRequest> request(HttpMethod method, String path) {
        return client.request(new RequestOptions()
                .setMethod(method)
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setURI(basePath + path)
                .setIdleTimeout(idleTimeoutMs));
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
        client.close();
    }
}
