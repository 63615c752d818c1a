package io.aigateway.edge.keys;

import io.aigateway.edge.config.AdminConfig;
import io.aigateway.support.client.InternalEndpoint;
import io.aigateway.support.security.ServiceCredentials;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * admin-service's user-key routes (caller {@code edge}, with the edge's service credential):
 * {@code GET|POST /internal/v1/users/{userId}/keys}, {@code DELETE /internal/v1/users/{userId}/keys/{keyId}}.
 * Answers come back as they are (status and body); the caller decides what to relay.
 */
@ApplicationScoped
public class UserKeysClient {

    private final WebClient client;
    private final InternalEndpoint adminService;
    private final long timeoutMs;

    public UserKeysClient(Vertx vertx, AdminConfig admin, ServiceCredentials credentials, KeysConfig config) {
        this.adminService = InternalEndpoint.of("admin-keys", admin.url(), credentials);
        this.timeoutMs = config.timeout().toMillis();
        this.client = WebClient.create(vertx, new WebClientOptions(
                adminService.clientOptions(config.timeout(), Duration.ofSeconds(60))).setMaxPoolSize(admin.poolSize()));
    }

    public Uni<HttpResponse<Buffer>> list(String userId) {
        return request(HttpMethod.GET, path(userId)).send();
    }

    /** @param body the validated JSON body ({@code name}, optional {@code expiresAt}) */
    public Uni<HttpResponse<Buffer>> create(String userId, Buffer body) {
        return request(HttpMethod.POST, path(userId)).putHeader("content-type", "application/json").sendBuffer(body);
    }

    public Uni<HttpResponse<Buffer>> revoke(String userId, String keyId) {
        return request(HttpMethod.DELETE, path(userId) + "/" + enc(keyId)).send();
    }

    private HttpRequest<Buffer> request(HttpMethod method, String path) {
        return client.request(method, adminService.request(method, path))
                .putHeader("accept", "application/json")
                .timeout(timeoutMs);
    }

    private static String path(String userId) {
        return "/internal/v1/users/" + enc(userId) + "/keys";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
