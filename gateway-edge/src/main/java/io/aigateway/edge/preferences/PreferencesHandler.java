package io.aigateway.edge.preferences;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.edge.auth.ApiKeyService;
import io.aigateway.edge.auth.Caller;
import io.aigateway.edge.http.BodyReader;
import io.aigateway.edge.http.Contexts;
import io.aigateway.edge.http.ErrorResponder;
import io.aigateway.edge.http.PublicRequests;
import io.aigateway.edge.routing.RoutingClient;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code GET|PUT /api/v1/ai/preferences} and {@code DELETE /api/v1/ai/preferences/{context}}: the caller's own
 * preferences. API key exactly as on {@code /v1} ({@link ApiKeyService}); the user is the key's, never a client
 * header (client {@code X-Aigw-Caller-*} headers are not forwarded); relayed to routing-service's
 * {@code /internal/v1/preferences} with the internal token, the caller headers and the request ID; routing's status
 * and body come back unchanged (errors already in the OpenAI envelope).
 */
@ApplicationScoped
public class PreferencesHandler {

    public static final String PATH = "/api/v1/ai/preferences";
    static final String INTERNAL = "/internal/v1/preferences";

    private static final Logger LOG = Logger.getLogger(PreferencesHandler.class);
    private static final Pattern CONTEXT = Pattern.compile(AigwHeaders.CONTEXT_PATTERN);

    private final ApiKeyService apiKeys;
    private final RoutingClient routing;
    private final ErrorResponder errors;
    private final PublicRequests publicRequests;
    private final long maxBodyBytes;
    private final long timeoutMs;

    public PreferencesHandler(ApiKeyService apiKeys, RoutingClient routing, ErrorResponder errors,
                              PublicRequests publicRequests, PreferencesConfig config) {
        this.apiKeys = apiKeys;
        this.routing = routing;
        this.errors = errors;
        this.publicRequests = publicRequests;
        this.maxBodyBytes = config.maxBodyBytes();
        this.timeoutMs = config.timeout().toMillis();
    }

    /** Called by {@code EdgeRouter}: the three routes, and 405 in the envelope for other methods. */
    public void register(Router router) {
        router.get(PATH).handler(rc -> handle(rc, HttpMethod.GET, INTERNAL));
        router.put(PATH).handler(rc -> handle(rc, HttpMethod.PUT, INTERNAL));
        router.delete(PATH + "/:context").handler(rc -> {
            String context = rc.pathParam("context");
            if (context == null || !CONTEXT.matcher(context).matches()) {
                rc.request().pause();
                publicRequests.begin(rc, "preferences");
                // authenticate first: an anonymous caller learns nothing, not even about the path
                authenticated(rc, caller -> errors.send(rc, ApiError.badRequest("The context must match "
                        + AigwHeaders.CONTEXT_PATTERN + ".", "context", "invalid_context")));
                return;
            }
            handle(rc, HttpMethod.DELETE, INTERNAL + "/" + context);
        });
        router.route(PATH).handler(rc -> methodNotAllowed(rc, "GET, PUT"));
        router.route(PATH + "/:context").handler(rc -> methodNotAllowed(rc, "DELETE"));
        router.route(PATH).failureHandler(this::failure);
        router.route(PATH + "/:context").failureHandler(this::failure);
    }

    /** Anything that escaped a handler still answers in the envelope, never with a stack trace. */
    private void failure(RoutingContext rc) {
        errors.send(rc, rc.failure() != null ? errors.toError(rc.failure())
                : ApiError.internal("Internal error in the gateway."));
    }

    private void handle(RoutingContext rc, HttpMethod method, String internalPath) {
        rc.request().pause();
        String rid = publicRequests.begin(rc, "preferences");
        authenticated(rc, caller -> {
            if (method == HttpMethod.PUT) {
                BodyReader.read(rc, maxBodyBytes, errors, body -> forward(rc, rid, caller, method, internalPath, body));
            } else {
                rc.request().resume();
                forward(rc, rid, caller, method, internalPath, null);
            }
        });
    }

    private void authenticated(RoutingContext rc, Consumer<Caller> then) {
        apiKeys.authenticate(rc.request().getHeader("Authorization"))
                .emitOn(Contexts.of(Vertx.currentContext()))
                .subscribe().with(caller -> {
                    try {
                        then.accept(caller);
                    } catch (RuntimeException e) {
                        errors.send(rc, errors.toError(e));
                    }
                }, failure -> errors.send(rc, errors.toError(failure)));
    }

    private void forward(RoutingContext rc, String rid, Caller caller, HttpMethod method, String path, Buffer body) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        h.set("accept", "application/json");
        h.set(AigwHeaders.REQUEST_ID, rid);
        h.set(AigwHeaders.CALLER_USER, caller.userId() == null ? "" : caller.userId());
        h.set(AigwHeaders.CALLER_KEY, caller.keyId() == null ? "" : caller.keyId());
        h.set(AigwHeaders.CALLER_ROLES, caller.rolesHeader());
        if (body != null) {
            h.set("content-type", "application/json");
        }
        routing.call(method, path, h, body, timeoutMs).send().onComplete(sent -> {
            if (sent.failed()) {
                upstreamFailed(rc, sent.cause());
                return;
            }
            relay(rc, sent.result());
        });
    }

    private void relay(RoutingContext rc, HttpClientResponse in) {
        in.body().onComplete(ar -> {
            if (ar.failed()) {
                upstreamFailed(rc, ar.cause());
                return;
            }
            HttpServerResponse resp = rc.response();
            if (resp.closed() || resp.ended()) {
                return;
            }
            resp.setStatusCode(in.statusCode());
            for (Map.Entry<String, String> e : in.headers()) {
                if (AigwHeaders.relayedToClient(e.getKey()) && !e.getKey().equalsIgnoreCase(AigwHeaders.REQUEST_ID)) {
                    resp.headers().set(e.getKey(), e.getValue());
                }
            }
            Buffer b = ar.result();
            if (in.statusCode() == 204 || b == null || b.length() == 0) {
                resp.end();
                return;
            }
            String ctype = in.getHeader("content-type");
            resp.putHeader("content-type", ctype != null ? ctype : "application/json");
            resp.end(b);
        });
    }

    private void methodNotAllowed(RoutingContext rc, String allowed) {
        publicRequests.begin(rc, "other");
        rc.response().putHeader("allow", allowed);
        errors.send(rc, new ApiError(405, "invalid_request_error", "method_not_allowed", null,
                "Method " + rc.request().method().name() + " not allowed on " + rc.request().path()
                        + " (use " + allowed + ").", null));
    }

    private void upstreamFailed(RoutingContext rc, Throwable t) {
        if (rc.response().closed()) {
            return;
        }
        LOG.warnf("routing-service preferences call failed: %s", LogSafe.escape(t));
        errors.send(rc, RoutingClient.transportError(t));
    }
}
