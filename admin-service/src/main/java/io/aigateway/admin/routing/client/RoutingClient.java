package io.aigateway.admin.routing.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.admin.common.client.RelayAnswer;
import io.aigateway.admin.common.client.ServiceRelay;
import io.aigateway.admin.quotas.client.PathSegments;
import io.aigateway.support.security.ServiceCredentials;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * routing-service's internal breaker and cache API ({@code /internal/v1/breakers}, {@code /internal/v1/cache/*}),
 * called with admin-service's service credential; answers relayed by {@link ServiceRelay}'s rules.
 */
@ApplicationScoped
public class RoutingClient {

    private final ServiceRelay relay;

    public RoutingClient(RoutingEndpointConfig config, Vertx vertx, ServiceCredentials credentials, ObjectMapper mapper) {
        this.relay = new ServiceRelay("routing", config.url(), config.timeout(), vertx, credentials, mapper);
    }

    public Uni<RelayAnswer> breakers() {
        return relay.call(HttpMethod.GET, "/internal/v1/breakers", null);
    }

    public Uni<RelayAnswer> resetBreaker(String provider) {
        return relay.call(HttpMethod.POST, "/internal/v1/breakers/" + PathSegments.encode(provider) + "/reset", null);
    }

    public Uni<RelayAnswer> cacheStats() {
        return relay.call(HttpMethod.GET, "/internal/v1/cache/stats", null);
    }

    public Uni<RelayAnswer> invalidate(String body) {
        return relay.call(HttpMethod.POST, "/internal/v1/cache/invalidate", body);
    }

    public Uni<RelayAnswer> warm(String body) {
        return relay.call(HttpMethod.POST, "/internal/v1/cache/warm", body);
    }

    @PreDestroy
    void close() {
        relay.close();
    }
}
