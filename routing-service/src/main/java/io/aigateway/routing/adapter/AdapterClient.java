package io.aigateway.routing.adapter;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.routing.config.AdapterConfig;
import io.aigateway.support.client.InternalEndpoint;
import io.aigateway.support.security.ServiceCredentials;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.List;

/**
 * The one pooled HTTP client to adapter-service (keep-alive, bounded pool), created once. Speaks the
 * routing → adapter contract of docs/internal-contracts.md; callers own deadlines and error mapping.
 */
@ApplicationScoped
public class AdapterClient {

    private static final TypeReference<List<ProviderInfo>> PROVIDERS = new TypeReference<>() {
    };

    private final HttpClient client;
    private final ObjectMapper mapper;
    private final InternalEndpoint adapter;
    private final long catalogTimeoutMs;

    public AdapterClient(Vertx vertx, AdapterConfig config, ServiceCredentials credentials, ObjectMapper mapper) {
        this.adapter = InternalEndpoint.of("adapter", config.url(), credentials);
        this.mapper = mapper;
        this.catalogTimeoutMs = config.catalogTimeout().toMillis();
        HttpClientOptions options = adapter.clientOptions(config.connectTimeout(), config.keepAliveTimeout())
                .setKeepAlive(config.keepAlive());
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(config.poolSize()));
    }

    /** Headers every call to the adapter carries. */
    public RequestOptions chatRequest(String providerId, boolean stream, CallerHeaders caller) {
        RequestOptions o = adapter.request(HttpMethod.POST, "/internal/v1/providers/" + providerId + "/chat")
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.ACCEPT, stream ? "text/event-stream" : "application/json");
        caller.applyTo(o);
        return o;
    }

    /** Opens a request (connection from the pool); the caller sends the body and handles the answer. */
    public Future<HttpClientRequest> open(RequestOptions options) {
        return client.request(options);
    }

    /** {@code GET /internal/v1/providers}: the catalog, in catalog order. */
    public Uni<List<ProviderInfo>> providers() {
        RequestOptions o = adapter.request(HttpMethod.GET, "/internal/v1/providers")
                .setIdleTimeout(catalogTimeoutMs)
                .putHeader(HttpHeaders.ACCEPT, "application/json");
        Future<List<ProviderInfo>> f = client.request(o)
                .compose(HttpClientRequest::send)
                .compose(resp -> resp.body().map(body -> {
                    if (resp.statusCode() != 200) {
                        throw new IllegalStateException("adapter catalog answered HTTP " + resp.statusCode());
                    }
                    return parseProviders(body);
                }));
        return Uni.createFrom().completionStage(f.toCompletionStage());
    }

    private List<ProviderInfo> parseProviders(Buffer body) {
        try {
            return mapper.readValue(body.getBytes(), PROVIDERS);
        } catch (IOException e) {
            throw new IllegalStateException("adapter catalog is not a ProviderInfo array: " + e.getClass().getSimpleName());
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
