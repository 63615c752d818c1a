package io.aigateway.admin.analytics.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.admin.common.client.RelayAnswer;
import io.aigateway.admin.common.client.ServiceRelay;
import io.aigateway.admin.quotas.client.PathSegments;
import io.aigateway.admin.quotas.client.UsageConfig;
import io.aigateway.support.security.ServiceCredentials;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * usage-service's query API (analytics, one request's records, costs and their CSV export, metrics, health
 * history, alerts), called with admin-service's service credential. Query strings arrive already built and encoded
 * from an allow-list ({@code AdminQueries}).
 */
@ApplicationScoped
public class UsageQueryClient {

    private final ServiceRelay relay;

    public UsageQueryClient(UsageConfig config, Vertx vertx, ServiceCredentials credentials, ObjectMapper mapper) {
        this.relay = new ServiceRelay("usage", config.url(), config.timeout(), vertx, credentials, mapper);
    }

    /** {@code GET /internal/v1/<path>?<query>}, relayed; @param query encoded, without {@code ?}, may be empty */
    public Uni<RelayAnswer> get(String path, String query) {
        return relay.call(HttpMethod.GET, "/internal/v1/" + path + (query.isEmpty() ? "" : "?" + query), null);
    }

    public Uni<RelayAnswer> request(String requestId) {
        return relay.call(HttpMethod.GET, "/internal/v1/usage/requests/" + PathSegments.encode(requestId), null);
    }

    /** The cost rows as CSV, streamed through. */
    public Uni<ServiceRelay.Streamed> costsCsv(String query) {
        return relay.stream("/internal/v1/usage/costs" + (query.isEmpty() ? "" : "?" + query), "text/csv");
    }

    @PreDestroy
    void close() {
        relay.close();
    }
}
