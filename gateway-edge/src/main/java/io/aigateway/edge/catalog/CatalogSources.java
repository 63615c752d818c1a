package io.aigateway.edge.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.edge.catalog.CatalogView.RoutingCatalog;
import io.aigateway.edge.catalog.CatalogView.UsagePerformance;
import io.aigateway.edge.routing.RoutingClient;
import io.aigateway.edge.usage.UsageServiceConfig;
import io.aigateway.support.client.InternalEndpoint;
import io.aigateway.support.security.ServiceCredentials;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The two sources of the public model catalog, each called with the edge's service credential and reused for
 * {@code aigw.edge.catalog.cache-ttl} (concurrent requests share one call): routing-service's
 * {@code /internal/v1/models/catalog} (a failure is the request's failure, 503, and is not reused) and
 * usage-service's {@code /internal/v1/usage/performance} (a failure is reused as "no performance" for the TTL:
 * the catalog still answers, with {@code performance: null}).
 */
@ApplicationScoped
public class CatalogSources {

    static final String ROUTING_CATALOG = "/internal/v1/models/catalog";
    static final String USAGE_PERFORMANCE = "/internal/v1/usage/performance";
    private static final Logger LOG = Logger.getLogger(CatalogSources.class);

    /** A reused answer: the memoized call and when it started. */
    private record Slot<T>(Uni<T> value, long createdNanos) {
    }

    /** A reused source with its time to live; failures are dropped at once. */
    private static final class Cached<T> {
        private final long ttlNanos;
        private volatile Slot<T> slot;

        Cached(Duration ttl) {
            this.ttlNanos = ttl.toNanos();
        }

        void clear() {
            slot = null;
        }

        Uni<T> get(Supplier<Uni<T>> fetch) {
            long now = System.nanoTime();
            Slot<T> s = slot;
            if (s != null && now - s.createdNanos() < ttlNanos) {
                return s.value();
            }
            Object[] self = new Object[1];
            Uni<T> value = fetch.get()
                    .onFailure().invoke(t -> {
                        if (slot == self[0]) {
                            slot = null;
                        }
                    })
                    .memoize().indefinitely();
            Slot<T> created = new Slot<>(value, now);
            self[0] = created;
            slot = created;
            return value;
        }
    }

    private final RoutingClient routing;
    private final ObjectMapper mapper;
    private final InternalEndpoint usageService;
    private final WebClient usageClient;
    private final long timeoutMs;
    private final String window;
    private final Cached<RoutingCatalog> catalog;
    private final Cached<Optional<UsagePerformance>> performance;

    public CatalogSources(RoutingClient routing, ObjectMapper mapper, Vertx vertx, CatalogConfig config,
                          UsageServiceConfig usage, ServiceCredentials credentials) {
        this.routing = routing;
        this.mapper = mapper;
        this.timeoutMs = config.timeout().toMillis();
        this.window = config.performanceWindow();
        this.catalog = new Cached<>(config.cacheTtl());
        this.performance = new Cached<>(config.cacheTtl());
        this.usageService = InternalEndpoint.of("usage", usage.url(), credentials);
        this.usageClient = WebClient.create(vertx, new WebClientOptions(
                usageService.clientOptions(config.timeout(), Duration.ofSeconds(60))).setMaxPoolSize(4));
    }

    /** Drops both reused answers: the next request calls both services. */
    public void invalidate() {
        catalog.clear();
        performance.clear();
    }

    String window() {
        return window;
    }

    /** routing-service's catalog, or a failure with a 503 envelope. */
    Uni<RoutingCatalog> catalog(String rid) {
        return catalog.get(() -> fetchCatalog(rid));
    }

    /** usage-service's performance, or empty when it did not answer (then reused as empty for the TTL). */
    Uni<Optional<UsagePerformance>> performance(String rid) {
        return performance.get(() -> fetchPerformance(rid));
    }

    private Uni<RoutingCatalog> fetchCatalog(String rid) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap()
                .set(AigwHeaders.REQUEST_ID, rid)
                .set("accept", "application/json");
        return Uni.createFrom().emitter(em -> routing.call(HttpMethod.GET, ROUTING_CATALOG, h, null, timeoutMs).send()
                .compose(resp -> resp.body().map(body -> {
                    if (resp.statusCode() != 200) {
                        LOG.warnf("routing-service model catalog answered %d", resp.statusCode());
                        throw unavailable().exception();
                    }
                    try {
                        return mapper.readValue(body.getBytes(), RoutingCatalog.class);
                    } catch (IOException e) {
                        LOG.warnf("routing-service model catalog unreadable: %s", LogSafe.escape(e));
                        throw unavailable().exception();
                    }
                }))
                .onComplete(res -> {
                    if (res.succeeded()) {
                        em.complete(res.result());
                    } else {
                        if (!(res.cause() instanceof io.aigateway.contracts.error.ApiException)) {
                            LOG.warnf("routing-service model catalog call failed: %s", LogSafe.escape(res.cause()));
                        }
                        em.fail(unavailable().exception());
                    }
                }));
    }

    private Uni<Optional<UsagePerformance>> fetchPerformance(String rid) {
        return Uni.createFrom().emitter(em -> usageClient
                .request(HttpMethod.GET, usageService.request(HttpMethod.GET, USAGE_PERFORMANCE + "?window=" + window))
                .putHeader("accept", "application/json")
                .putHeader(AigwHeaders.REQUEST_ID, rid)
                .timeout(timeoutMs)
                .send()
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.warnf("usage-service performance call failed: %s", LogSafe.escape(ar.cause()));
                        em.complete(Optional.empty());
                        return;
                    }
                    if (ar.result().statusCode() != 200) {
                        LOG.warnf("usage-service performance answered %d", ar.result().statusCode());
                        em.complete(Optional.empty());
                        return;
                    }
                    try {
                        em.complete(Optional.of(mapper.readValue(ar.result().bodyAsBuffer().getBytes(),
                                UsagePerformance.class)));
                    } catch (IOException | RuntimeException e) {
                        LOG.warnf("usage-service performance unreadable: %s", LogSafe.escape(e));
                        em.complete(Optional.empty());
                    }
                }));
    }

    static ApiError unavailable() {
        return new ApiError(503, "api_error", "service_unavailable", null,
                "The model catalog is unavailable right now; please retry.", null).withHeader("retry-after", "5");
    }

    @PreDestroy
    void close() {
        usageClient.close();
    }
}
