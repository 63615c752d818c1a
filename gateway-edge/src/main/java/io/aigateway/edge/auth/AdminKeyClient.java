package io.aigateway.edge.auth;

import io.aigateway.support.client.InternalEndpoint;
import io.aigateway.support.security.ServiceCredentials;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.ApiKeyRecord;
import io.aigateway.edge.config.AdminConfig;
import io.aigateway.edge.config.EdgeConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;

/** admin-service's internal key lookup {@code GET /internal/v1/keys/{sha256hex}}: 200 record, 404 unknown. */
@ApplicationScoped
public class AdminKeyClient {

    private final WebClient client;
    private final ObjectMapper mapper;
    private final InternalEndpoint adminService;
    private final long timeoutMs;

    public AdminKeyClient(Vertx vertx, AdminConfig admin, ServiceCredentials credentials, EdgeConfig edge, ObjectMapper mapper) {
        this.adminService = InternalEndpoint.of("admin", admin.url(), credentials);
        this.mapper = mapper;
        this.timeoutMs = edge.auth().adminTimeout().toMillis();
        this.client = WebClient.create(vertx, new WebClientOptions(
                adminService.clientOptions(edge.auth().adminTimeout(), java.time.Duration.ofSeconds(60)))
                .setMaxPoolSize(admin.poolSize()));
    }

    /** @return the record, or null when admin-service does not know the key (revoked, expired, unknown) */
    public Uni<ApiKeyRecord> lookup(String sha256Hex) {
        return client.request(HttpMethod.GET, adminService.request(HttpMethod.GET, "/internal/v1/keys/" + sha256Hex))
                .putHeader("accept", "application/json")
                .timeout(timeoutMs)
                .send()
                .map(resp -> {
                    if (resp.statusCode() == 404) {
                        return null;
                    }
                    if (resp.statusCode() != 200) {
                        throw new IllegalStateException("admin-service key lookup answered " + resp.statusCode());
                    }
                    try {
                        return mapper.readValue(resp.bodyAsBuffer().getBytes(), ApiKeyRecord.class);
                    } catch (IOException e) {
                        throw new UncheckedIOException("admin-service key lookup: unreadable record", e);
                    }
                });
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
