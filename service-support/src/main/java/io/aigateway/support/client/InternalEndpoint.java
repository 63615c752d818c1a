package io.aigateway.support.client;

import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.support.http.RequestIds;
import io.aigateway.support.security.ServiceCredentials;
import io.aigateway.support.tracing.Traces;
import io.opentelemetry.context.Context;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.time.Duration;

/**
 * Another service's base URL and this service's credential for it: the one way every internal HTTP call is
 * addressed. {@link #request} gives request options with host, port, TLS, the path under the base URL, the
 * service credential and the current request's ID already set; {@link #clientOptions} the pooled keep-alive
 * client settings all internal clients share.
 * <p>
 * <b>Trace context.</b> Both {@code request} methods write the W3C {@code traceparent} of the span current when they
 * are called (the server span of the request, or routing's attempt span), so the called service's server span is its
 * child. It is written here, synchronously, because the Vert.x client's own tracing would pick the parent when the
 * request reaches a connection, by then possibly another span; {@link #clientOptions} therefore turns the Vert.x
 * client tracing off ({@link TracingPolicy#IGNORE}) for internal clients.
 */
public final class InternalEndpoint {

    private final String name;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String basePath;
    private final ServiceCredentials credentials;

    private InternalEndpoint(String name, URI uri, ServiceCredentials credentials) {
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(name + ": not an absolute http(s) URL: " + uri);
        }
        this.name = name;
        this.ssl = "https".equalsIgnoreCase(uri.getScheme());
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.credentials = credentials;
        credentials.token(); // a service that calls others fails at start without its credential, naming the property
    }

    /** @param name the service called, for client names and messages ({@code routing}, {@code adapter}…) */
    public static InternalEndpoint of(String name, String baseUrl, ServiceCredentials credentials) {
        return new InternalEndpoint(name, URI.create(baseUrl), credentials);
    }

    /** Options of a request to {@code path} (under the base URL) with the credential and the request ID. */
    public RequestOptions request(HttpMethod method, String path) {
        RequestOptions o = new RequestOptions()
                .setMethod(method)
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setURI(basePath + path)
                .putHeader(ServiceCredentials.HEADER, credentials.token());
        String rid = RequestIds.current();
        if (rid != null) {
            o.putHeader(AigwHeaders.REQUEST_ID, rid);
        }
        io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
        Traces.inject(Context.current(), headers);
        headers.forEach(o::putHeader);
        return o;
    }

    /**
     * Options of a request to {@code path} carrying exactly {@code headers} plus the credential (and the current
     * request ID when {@code headers} has none): for callers that build the forwarded headers themselves.
     */
    public RequestOptions request(HttpMethod method, String path, io.vertx.core.MultiMap headers) {
        headers.set(ServiceCredentials.HEADER, credentials.token());
        String rid = RequestIds.current();
        if (rid != null && !headers.contains(AigwHeaders.REQUEST_ID)) {
            headers.set(AigwHeaders.REQUEST_ID, rid);
        }
        Traces.inject(Context.current(), headers);
        return new RequestOptions()
                .setMethod(method)
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setURI(basePath + path)
                .setHeaders(headers);
    }

    /**
     * Keep-alive client settings for this endpoint. {@code keepAliveTimeout} must stay below the called service's
     * own idle timeout ({@code quarkus.http.idle-timeout}, 30 min by default), so that the caller, not the server,
     * closes an idle pooled connection: a request is then never written to a connection the server already closed.
     */
    public HttpClientOptions clientOptions(Duration connectTimeout, Duration keepAliveTimeout) {
        return new HttpClientOptions()
                .setName("aigw-" + name)
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) Math.max(1, keepAliveTimeout.toSeconds()))
                .setTcpNoDelay(true)
                .setTryUseCompression(false)
                .setTracingPolicy(TracingPolicy.IGNORE)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .setSsl(ssl)
                .setDefaultHost(host)
                .setDefaultPort(port);
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public boolean ssl() {
        return ssl;
    }

    public String basePath() {
        return basePath;
    }
}
