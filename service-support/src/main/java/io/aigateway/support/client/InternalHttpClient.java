package io.aigateway.support.client;

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
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The one way a service calls another over HTTP/1.1 (or HTTP/2): a pooled keep-alive client for an
 * {@link InternalEndpoint}, plus a client without keep-alive used only to send once more a request the pooled
 * connection lost before the called service read it. Every request goes through {@link #call}, whose
 * {@link InternalCall} resets only an exchange still in flight and retries only what provably (or almost surely)
 * never arrived; see {@link #connectionLost} for how a lost request is told from one that may have been processed.
 * <p>
 * The caller must close idle pooled connections before the called service does: {@code keepAliveTimeout} below
 * the called service's {@code quarkus.http.idle-timeout} (the side that closes an idle connection first must be
 * the client, or a request may be written on a connection the server is closing). That removes the common race; a
 * server or a proxy may still close at any moment, and {@link InternalCall} covers those requests.
 */
public final class InternalHttpClient {

    private final InternalEndpoint endpoint;
    private final HttpClient pooled;
    /** Keep-alive off: each request on a new connection, closed after its answer. Only for retries. */
    private final HttpClient fresh;
    private final Runnable onRetry;
    /** How many requests each pooled connection carried; weak keys: a closed connection just goes away. */
    private final Map<HttpConnection, ConnectionUse> uses = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param onRetry called for each request sent again on a new connection (a metric)
     */
    public InternalHttpClient(Vertx vertx, InternalEndpoint endpoint, int poolSize, Duration connectTimeout,
                              Duration keepAliveTimeout, Runnable onRetry) {
        this.endpoint = endpoint;
        this.onRetry = onRetry;
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(poolSize);
        this.pooled = vertx.createHttpClient(endpoint.clientOptions(connectTimeout, keepAliveTimeout), pool);
        this.fresh = vertx.createHttpClient(endpoint.clientOptions(connectTimeout, keepAliveTimeout)
                .setKeepAlive(false)
                .setName("aigw-" + endpoint.name() + "-retry"), pool);
    }

    /**
     * A request to {@code path}: {@code headers} (request ID, caller headers) plus this service's credential are all
     * it carries besides Host and Content-Length; {@code body} may be null; failing after {@code idleTimeoutMs}
     * without a byte. Nothing is sent before {@link InternalCall#send()}.
     */
    public InternalCall call(HttpMethod method, String path, MultiMap headers, Buffer body, long idleTimeoutMs) {
        RequestOptions o = endpoint.request(method, path, headers).setIdleTimeout(idleTimeoutMs);
        return new InternalCall(this, o, body);
    }

    public InternalEndpoint endpoint() {
        return endpoint;
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

    void retried() {
        onRetry.run();
    }

    /**
     * Whether a failure before any answer byte means the connection went away under the request, so that
     * the called service did not get the request: the connection was closed ({@link HttpClosedException}: "Connection
     * was closed", {@link ClosedChannelException}) or reset / broken ({@code IOException} "Connection reset by peer",
     * "Broken pipe"). Not: our own reset ({@link StreamResetException}), connect failures (a new connection: the service is
     * down), timeouts (it may be working on it), TLS errors.
     * <p>
     * A duplicate call would route and bill the user twice, so {@link InternalCall} retries only when all of these
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


    public void close() {
        pooled.close();
        fresh.close();
    }
}
