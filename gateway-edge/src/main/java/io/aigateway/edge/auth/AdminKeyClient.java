package io.aigateway.edge.auth;

import io.aigateway.support.security.ServiceCredentials;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.AigwHeaders;
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
import java.net.URI;

/** admin-service's internal key lookup {@code GET /internal/v1/keys/{sha256hex}}: 200 record, 404 unknown. */
@ApplicationScoped
public class AdminKeyClient {

    private final WebClient client;
    private final ObjectMapper mapper;
    private final String token;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String basePath;
    private final long timeoutMs;

    public AdminKeyClient(Vertx vertx, AdminConfig admin, ServiceCredentials credentials, EdgeConfig edge, ObjectMapper mapper) {
        URI uri = URI.create(admin.url());
        this.ssl = "https".equalsIgnoreCase(uri.getScheme());
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.token = credentials.token();
        this.mapper = mapper;
        this.timeoutMs = edge.auth().adminTimeout().toMillis();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(admin.poolSize())
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
                .setSsl(ssl));
    }

    /** @return the record, or null when admin-service does not know the key (revoked, expired, unknown) */
    public Uni<ApiKeyRecord> lookup(String sha256Hex) {
        return client.request(HttpMethod.GET, port, host, basePath + "/internal/v1/keys/" + sha256Hex)
                .ssl(ssl)
                .putHeader(AigwHeaders.INTERNAL_TOKEN, token)
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
