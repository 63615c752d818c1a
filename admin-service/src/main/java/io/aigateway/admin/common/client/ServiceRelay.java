package io.aigateway.admin.common.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.support.client.InternalEndpoint;
import io.aigateway.support.security.ServiceCredentials;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Calls one internal service (usage, routing) with admin-service's service credential and the request ID, over a
 * pooled Vert.x client, and relays its answers as they are, except where relaying would mislead the admin (the same
 * rules as the quota relay, {@code UsageClient}):
 * <ul>
 *   <li>401/403: the service refused <em>our</em> credential, not the admin's key → 502;</li>
 *   <li>a body that is not JSON, or a 5xx without one → 502;</li>
 *   <li>unreachable → 503 with {@code retry-after}; no answer in time → 504.</li>
 * </ul>
 * {@link #stream} passes a large answer (the CSV export) through chunk by chunk, never holding it whole.
 */
public final class ServiceRelay {

    private static final Logger LOG = Logger.getLogger(ServiceRelay.class);

    /** A streamed answer: status, headers to pass on, and the body's chunks (subscribed once). */
    public record Streamed(int status, Map<String, List<String>> headers, Multi<Buffer> body) {
    }

    private final String service;
    private final InternalEndpoint endpoint;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper mapper;

    public ServiceRelay(String service, String baseUrl, Duration timeout, Vertx vertx, ServiceCredentials credentials,
                        ObjectMapper mapper) {
        this.service = service;
        this.endpoint = InternalEndpoint.of(service, baseUrl, credentials);
        this.http = vertx.createHttpClient(endpoint.clientOptions(Duration.ofSeconds(2), Duration.ofSeconds(60)),
                new PoolOptions().setHttp1MaxSize(16));
        this.timeout = timeout;
        this.mapper = mapper;
    }

    public String service() {
        return service;
    }

    /** @param pathAndQuery already encoded; @param body JSON text or null */
    public Uni<RelayAnswer> call(HttpMethod method, String pathAndQuery, String body) {
        RequestOptions options = endpoint.request(method, pathAndQuery).setIdleTimeout(timeout.toMillis())
                .putHeader("Accept", "application/json");
        if (body != null) {
            options.putHeader("Content-Type", "application/json");
        }
        return Uni.createFrom().completionStage(() -> http.request(options)
                        .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
                        .compose(resp -> resp.body().map(b -> new RelayAnswer(resp.statusCode(),
                                b.length() == 0 ? null : b.toString(StandardCharsets.UTF_8), resp.getHeader("retry-after"))))
                        .toCompletionStage())
                .ifNoItem().after(timeout).fail()
                .onFailure().transform(this::toApiException)
                .map(this::checked);
    }

    /**
     * A GET whose 200 answer is passed through as it arrives ({@code content-type}, {@code content-disposition});
     * any other answer is checked as {@link #call} does and becomes a small JSON one. Never fails: a failure is an
     * envelope answer.
     */
    public Uni<Streamed> stream(String pathAndQuery, String accept) {
        RequestOptions options = endpoint.request(HttpMethod.GET, pathAndQuery).setIdleTimeout(timeout.toMillis())
                .putHeader("Accept", accept);
        return Uni.createFrom().<HttpClientResponse>completionStage(() -> http.request(options)
                        .compose(req -> req.send())
                        .map(resp -> {
                            if (resp.statusCode() == 200) {
                                resp.pause(); // nothing is read before the client subscribes
                            }
                            return resp;
                        })
                        .toCompletionStage())
                .ifNoItem().after(timeout).fail()
                .flatMap(resp -> {
                    if (resp.statusCode() == 200) {
                        Map<String, List<String>> headers = new LinkedHashMap<>();
                        copy(resp, "content-type", headers);
                        copy(resp, "content-disposition", headers);
                        Multi<Buffer> body = io.vertx.mutiny.core.http.HttpClientResponse.newInstance(resp).toMulti()
                                .map(io.vertx.mutiny.core.buffer.Buffer::getDelegate);
                        return Uni.createFrom().item(new Streamed(200, headers, body));
                    }
                    return Uni.createFrom().completionStage(() -> resp.body().toCompletionStage())
                            .map(b -> checked(new RelayAnswer(resp.statusCode(),
                                    b.length() == 0 ? null : b.toString(StandardCharsets.UTF_8), resp.getHeader("retry-after"))))
                            .map(this::asStreamed);
                })
                .onFailure().recoverWithItem(t -> asStreamed(toApiException(t)));
    }

    private Streamed asStreamed(RelayAnswer a) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        if (a.retryAfter() != null) {
            headers.put("retry-after", List.of(a.retryAfter()));
        }
        Multi<Buffer> body = a.body() == null ? Multi.createFrom().empty()
                : Multi.createFrom().item(Buffer.buffer(a.body()));
        return new Streamed(a.status(), headers, body);
    }

    private Streamed asStreamed(ApiException e) {
        ApiError error = e.error();
        try {
            String envelope = mapper.writeValueAsString(error.envelope());
            String retryAfter = error.headers() == null ? null : error.headers().get("retry-after");
            return asStreamed(new RelayAnswer(error.status(), envelope, retryAfter));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void copy(HttpClientResponse resp, String name, Map<String, List<String>> headers) {
        String v = resp.getHeader(name);
        if (v != null) {
            headers.put(name, List.of(v));
        }
    }

    RelayAnswer checked(RelayAnswer a) {
        boolean hasBody = a.body() != null && !a.body().isBlank();
        if (a.status() == 401 || a.status() == 403) {
            LOG.errorf("%s-service refused admin-service's credential (%d): check aigw.service-auth.token and its admin "
                    + "caller", service, a.status());
            throw upstreamError(service + "-service refused admin-service's credential (status " + a.status() + ").");
        }
        if (hasBody && !isJson(a.body())) {
            LOG.warnf("%s-service answered %d with a body that is not JSON", service, a.status());
            throw upstreamError(service + "-service answered with status " + a.status() + " and a body that is not JSON.");
        }
        if (a.status() >= 500 && !hasBody) {
            LOG.warnf("%s-service answered %d", service, a.status());
            throw upstreamError(service + "-service answered with status " + a.status() + ".");
        }
        return new RelayAnswer(a.status(), hasBody ? a.body() : null, a.retryAfter());
    }

    private boolean isJson(String body) {
        try {
            mapper.readTree(body);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static ApiException upstreamError(String message) {
        return new ApiError(502, "api_error", "upstream_error", null, message, null).exception();
    }

    ApiException toApiException(Throwable t) {
        if (t instanceof ApiException api) {
            return api;
        }
        if (t instanceof io.smallrye.mutiny.TimeoutException || hasCause(t, TimeoutException.class)
                || hasCause(t, io.netty.handler.timeout.TimeoutException.class)
                || (t.getMessage() != null && t.getMessage().contains("timeout"))) {
            LOG.warnf("%s-service did not answer in time", service);
            return new ApiError(504, "api_error", "upstream_timeout", null,
                    service + "-service did not answer in time.", null).exception();
        }
        LOG.warnf("%s-service unavailable: %s", service, t.getClass().getSimpleName());
        return new ApiError(503, "api_error", "upstream_unavailable", null,
                service + "-service is unavailable.", null).withHeader("retry-after", "5").exception();
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    public void close() {
        http.close();
    }
}
