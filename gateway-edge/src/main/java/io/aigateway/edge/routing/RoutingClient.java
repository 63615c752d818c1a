package io.aigateway.edge.routing;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.edge.config.RoutingConfig;
import io.aigateway.support.client.InternalEndpoint;
import io.aigateway.support.security.ServiceCredentials;
import io.aigateway.edge.metrics.EdgeMetrics;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeoutException;

/**
 * The edge's HTTP clients to routing-service, created once. Plain Vert.x (not a REST client) because the chat relay
 * streams bytes in both directions and decides its status late. Every request goes through {@link #call}.
 * <p>
 * Connections are pooled with keep-alive. The edge closes a connection idle for {@code aigw.routing.keep-alive-timeout}
 * (30 s), well before routing-service's server closes it ({@code quarkus.http.idle-timeout}, 30 min): the side that
 * closes an idle connection first must be the client, or a request may be written on a connection the server is
 * closing. That ordering removes the common race; a server (or a proxy in between) may still close at any moment
 * (a restart, its own limits), and {@link RoutingCall} retries the requests such a close provably or almost surely
 * kept from routing-service (see {@link #connectionLost}).
 */
@ApplicationScoped
public class RoutingClient {

    public static final String ROUTE_CHAT = "/internal/v1/route/chat";
    public static final String MODELS = "/internal/v1/models";

    private final HttpClient pooled;
    /** Keep-alive off: each request on a new connection, closed after its answer. Only for retries. */
    private final HttpClient fresh;
    private final EdgeMetrics metrics;
    private final InternalEndpoint routing;
    private final long idleTimeoutMs;
    /** How many requests each pooled connection carried; weak keys: a closed connection just goes away. */
    private final Map<HttpConnection, ConnectionUse> uses = Collections.synchronizedMap(new WeakHashMap<>());

    public RoutingClient(Vertx vertx, RoutingConfig config, EdgeMetrics metrics, ServiceCredentials credentials) {
        this.routing = InternalEndpoint.of("routing", config.url(), credentials);
        this.metrics = metrics;
        this.idleTimeoutMs = config.idleTimeout().toMillis();
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(config.poolSize());
        this.pooled = vertx.createHttpClient(routing.clientOptions(config.connectTimeout(), config.keepAliveTimeout()), pool);
        this.fresh = vertx.createHttpClient(routing.clientOptions(config.connectTimeout(), config.keepAliveTimeout())
                .setKeepAlive(false)
                .setName("aigw-routing-retry"), pool);
    }

    /**
     * A request to routing: {@code headers} (request ID, caller headers: the caller sets them) plus the edge's service
     * credential are all it carries besides Host and Content-Length; {@code body} may be null. Nothing is sent before
     * {@link RoutingCall#send()}.
     */
    public RoutingCall call(HttpMethod method, String path, MultiMap headers, Buffer body) {
        return call(method, path, headers, body, idleTimeoutMs);
    }

    /** As {@link #call(HttpMethod, String, MultiMap, Buffer)}, failing with 504 after {@code idleTimeoutMs} without a byte. */
    public RoutingCall call(HttpMethod method, String path, MultiMap headers, Buffer body, long idleTimeoutMs) {
        RequestOptions o = routing.request(method, path, headers).setIdleTimeout(idleTimeoutMs);
        return new RoutingCall(this, o, body);
    }

    HttpClient pooled() {
        return pooled;
    }

    HttpClient fresh() {
        return fresh;
    }

    ConnectionUse use(HttpConnection connection) {
        return uses.computeIfAbsent(connection, c -> new ConnectionUse());
    }

    void countRetry() {
        metrics.routingRetry();
    }

    /**
     * Whether a failure before any answer byte means the connection went away under the request, so that
     * routing-service did not get the request: the connection was closed ({@link HttpClosedException}: "Connection
     * was closed", {@link ClosedChannelException}) or reset / broken ({@code IOException} "Connection reset by peer",
     * "Broken pipe"). Not: our own reset ({@link StreamResetException}), connect failures (a new connection: routing is
     * down, 503), timeouts (routing may be working on it), TLS errors.
     * <p>
     * A duplicate call would route and bill the user twice, so {@link RoutingCall} retries only when all of these
     * hold: (1) no byte of an answer came back (the {@code send} future failed before the answer's head); (2) the
     * connection had carried an earlier request, i.e. it sat in the pool, where a server closes idle connections (a
     * request on a new connection is never retried: a close there is routing failing, not an idle close); (3) the
     * failure is one of the above; (4) the client is still there; (5) this was the first try. A request that never got
     * a connection stream (the pooled connection closed between lease and use) wrote nothing and is always retried.
     * <p>
     * What remains: from the edge, "routing closed an idle connection while our request was on the wire" (routing
     * never read it) and "routing read the request and then died before its first answer byte" look the same. In
     * the second case the retry reaches routing twice, with the same {@code X-Request-Id} (set once by the edge);
     * routing-service does not deduplicate on it and its usage events get a new random event id each, so such a
     * retry can produce two usage events (two provider calls, billed twice). It needs routing to die between reading
     * a request and answering it, on a connection that had carried an earlier request.
     */
    static boolean connectionLost(Throwable t) {
        if (t instanceof StreamResetException) {
            return false;
        }
        if (t instanceof HttpClosedException || t instanceof ClosedChannelException) {
            return true;
        }
        if (t instanceof ConnectException || t instanceof SSLException || t instanceof TimeoutException) {
            return false;
        }
        if (t instanceof IOException) {
            String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            return msg.contains("connection reset") || msg.contains("broken pipe") || msg.contains("closed");
        }
        return false;
    }

    /**
     * How many requests a pooled connection has carried (shared across event loops). Holds no reference to a call or
     * request: they reference the connection, which would keep the weak map's entry alive.
     */
    static final class ConnectionUse {
        private int requests;

        /** A call takes the connection: @return its number on the connection, 0 for the first request */
        synchronized int take() {
            return requests++;
        }

        /** Whether another request took the connection after request {@code number}: that exchange is over. */
        synchronized boolean takenAfter(int number) {
            return requests > number + 1;
        }
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
        pooled.close();
        fresh.close();
    }
}
