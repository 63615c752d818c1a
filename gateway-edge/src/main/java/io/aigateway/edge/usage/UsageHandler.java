package io.aigateway.edge.usage;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.edge.auth.ApiKeyService;
import io.aigateway.edge.http.Contexts;
import io.aigateway.edge.http.ErrorResponder;
import io.aigateway.edge.http.PublicRequests;
import io.aigateway.support.client.InternalEndpoint;
import io.aigateway.support.security.ServiceCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/ai/usage}: the caller's own usage and quota (limits with used, reserved, remaining and resetsAt;
 * today's and this month's totals; by model; daily totals with {@code ?from=&to=}). The user is the API key's, never a
 * parameter; relayed to usage-service's {@code /internal/v1/quotas/users/{userId}/usage} with the edge's credential,
 * whose answer (errors already in the envelope) comes back unchanged.
 */
@ApplicationScoped
public class UsageHandler {

    public static final String PATH = "/api/v1/ai/usage";
    private static final Logger LOG = Logger.getLogger(UsageHandler.class);
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final ApiKeyService apiKeys;
    private final ErrorResponder errors;
    private final PublicRequests publicRequests;
    private final InternalEndpoint usageService;
    private final WebClient client;
    private final long timeoutMs;

    public UsageHandler(ApiKeyService apiKeys, ErrorResponder errors, PublicRequests publicRequests,
                        io.vertx.core.Vertx vertx, UsageServiceConfig config, ServiceCredentials credentials) {
        this.apiKeys = apiKeys;
        this.errors = errors;
        this.publicRequests = publicRequests;
        this.usageService = InternalEndpoint.of("usage", config.url(), credentials);
        this.timeoutMs = config.timeout().toMillis();
        this.client = WebClient.create(vertx, new WebClientOptions(
                usageService.clientOptions(config.timeout(), Duration.ofSeconds(60))).setMaxPoolSize(config.poolSize()));
    }

    /** Called by {@code EdgeRouter}. */
    public void register(Router router) {
        router.get(PATH).handler(this::handle);
        router.route(PATH).handler(rc -> {
            publicRequests.begin(rc, "other");
            rc.response().putHeader("allow", "GET");
            errors.send(rc, new ApiError(405, "invalid_request_error", "method_not_allowed", null,
                    "Method " + rc.request().method().name() + " not allowed on " + PATH + " (use GET).", null));
        });
    }

    private void handle(RoutingContext rc) {
        rc.request().pause();
        publicRequests.begin(rc, "usage");
        apiKeys.authenticate(rc.request().getHeader("Authorization"))
                .emitOn(Contexts.of(Vertx.currentContext()))
                .subscribe().with(caller -> {
                    rc.request().resume();
                    String from = rc.request().getParam("from");
                    String to = rc.request().getParam("to");
                    for (String[] p : new String[][]{{"from", from}, {"to", to}}) {
                        if (p[1] != null && !DATE.matcher(p[1]).matches()) {
                            errors.send(rc, ApiError.badRequest("Query parameter '" + p[0]
                                    + "' must be a date, yyyy-MM-dd.", p[0]));
                            return;
                        }
                    }
                    if ((from == null) != (to == null)) {
                        errors.send(rc, ApiError.badRequest("Give both 'from' and 'to', or neither.",
                                from == null ? "from" : "to"));
                        return;
                    }
                    StringBuilder path = new StringBuilder("/internal/v1/quotas/users/")
                            .append(enc(caller.userId())).append("/usage");
                    char sep = '?';
                    if (caller.keyId() != null) {
                        path.append(sep).append("keyId=").append(enc(caller.keyId()));
                        sep = '&';
                    }
                    if (from != null) {
                        path.append(sep).append("from=").append(from).append("&to=").append(to);
                    }
                    client.request(HttpMethod.GET, usageService.request(HttpMethod.GET, path.toString()))
                            .putHeader("accept", "application/json")
                            .timeout(timeoutMs)
                            .send()
                            .onComplete(ar -> {
                                if (ar.failed()) {
                                    LOG.warnf("usage-service call failed: %s", LogSafe.escape(ar.cause()));
                                    errors.send(rc, new ApiError(503, "api_error", "service_unavailable", null,
                                            "Usage data is unavailable right now; please retry.", null)
                                            .withHeader("retry-after", "5"));
                                    return;
                                }
                                relay(rc, ar.result());
                            });
                }, failure -> errors.send(rc, errors.toError(failure)));
    }

    private static void relay(RoutingContext rc, HttpResponse<Buffer> in) {
        HttpServerResponse resp = rc.response();
        if (resp.closed() || resp.ended()) {
            return;
        }
        resp.setStatusCode(in.statusCode());
        resp.putHeader("content-type", "application/json");
        resp.putHeader("cache-control", "no-store");
        Buffer b = in.bodyAsBuffer();
        resp.end(b == null ? Buffer.buffer() : b);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
