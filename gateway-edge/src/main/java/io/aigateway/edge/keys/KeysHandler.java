package io.aigateway.edge.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.edge.auth.ApiKeyService;
import io.aigateway.edge.auth.Caller;
import io.aigateway.edge.http.BodyReader;
import io.aigateway.edge.http.Contexts;
import io.aigateway.edge.http.ErrorResponder;
import io.aigateway.edge.http.PublicRequests;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The caller's own API keys: {@code GET /api/v1/ai/keys} (list), {@code POST /api/v1/ai/keys} (create; the key is in
 * this answer only), {@code DELETE /api/v1/ai/keys/{keyId}} (revoke). Any caller with role {@code user}, by API key or
 * OIDC token ({@link ApiKeyService#authenticate}); always the caller's own user id, never one from the request. Relayed
 * to admin-service's {@code /internal/v1/users/{userId}/keys} routes ({@link UserKeysClient}), which write the audit
 * log; its answers (200, 201, 204, and 404 / 409 in the envelope) come back unchanged. Bodies are never logged.
 */
@ApplicationScoped
public class KeysHandler {

    public static final String PATH = "/api/v1/ai/keys";

    private static final Logger LOG = Logger.getLogger(KeysHandler.class);
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Set<String> FIELDS = Set.of("name", "expiresAt");

    private final ApiKeyService apiKeys;
    private final UserKeysClient admin;
    private final ErrorResponder errors;
    private final PublicRequests publicRequests;
    private final ObjectMapper mapper;
    private final long maxBodyBytes;
    private final int maxNameLength;

    public KeysHandler(ApiKeyService apiKeys, UserKeysClient admin, ErrorResponder errors,
                       PublicRequests publicRequests, ObjectMapper mapper, KeysConfig config) {
        this.apiKeys = apiKeys;
        this.admin = admin;
        this.errors = errors;
        this.publicRequests = publicRequests;
        this.mapper = mapper;
        this.maxBodyBytes = config.maxBodyBytes();
        this.maxNameLength = config.maxNameLength();
    }

    /** Called by {@code EdgeRouter}: the three routes, and 405 in the envelope for other methods. */
    public void register(Router router) {
        router.get(PATH).handler(rc -> authenticated(rc, caller -> {
            rc.request().resume();
            relay(rc, admin.list(caller.userId()));
        }));
        router.post(PATH).handler(rc -> authenticated(rc, caller ->
                BodyReader.read(rc, maxBodyBytes, errors, body -> create(rc, caller, body))));
        router.delete(PATH + "/:keyId").handler(rc -> authenticated(rc, caller -> {
            rc.request().resume();
            String keyId = rc.pathParam("keyId");
            if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
                errors.send(rc, ApiError.badRequest("The key id must match " + KEY_ID.pattern() + ".", "keyId",
                        "invalid_key_id"));
                return;
            }
            relay(rc, admin.revoke(caller.userId(), keyId));
        }));
        router.route(PATH).handler(rc -> methodNotAllowed(rc, "GET, POST"));
        router.route(PATH + "/:keyId").handler(rc -> methodNotAllowed(rc, "DELETE"));
        router.route(PATH).failureHandler(this::failure);
        router.route(PATH + "/:keyId").failureHandler(this::failure);
    }

    private void create(RoutingContext rc, Caller caller, Buffer body) {
        ObjectNode request;
        try {
            request = validated(body);
        } catch (BadInput e) {
            errors.send(rc, ApiError.badRequest(e.getMessage(), e.param));
            return;
        }
        relay(rc, admin.create(caller.userId(), io.vertx.mutiny.core.buffer.Buffer.buffer(request.toString())));
    }

    /** The body admin-service gets: {@code name} (trimmed), {@code expiresAt} when given; anything else is a 400. */
    ObjectNode validated(Buffer body) throws BadInput {
        JsonNode json;
        try {
            json = body == null || body.length() == 0 ? null : mapper.readTree(body.getBytes());
        } catch (Exception e) {
            throw new BadInput("The body must be a JSON object.", null);
        }
        if (json == null || !json.isObject()) {
            throw new BadInput("The body must be a JSON object with a 'name'.", null);
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new BadInput("Unknown field '" + LogSafe.escape(f, 64) + "' (allowed: name, expiresAt).", f);
            }
        }
        JsonNode name = json.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw new BadInput("'name' is required: a non-empty string.", "name");
        }
        String n = name.asText().strip();
        if (n.length() > maxNameLength || n.chars().anyMatch(Character::isISOControl)) {
            throw new BadInput("'name' must be at most " + maxNameLength + " characters, without control characters.",
                    "name");
        }
        ObjectNode out = mapper.createObjectNode().put("name", n);
        JsonNode expires = json.get("expiresAt");
        if (expires != null && !expires.isNull()) {
            Instant at;
            try {
                at = expires.isTextual() ? Instant.parse(expires.asText()) : null;
            } catch (DateTimeParseException e) {
                at = null;
            }
            if (at == null) {
                throw new BadInput("'expiresAt' must be an ISO-8601 instant, e.g. 2030-01-01T00:00:00Z.", "expiresAt");
            }
            if (!at.isAfter(Instant.now())) {
                throw new BadInput("'expiresAt' must be in the future.", "expiresAt");
            }
            out.put("expiresAt", at.toString());
        }
        return out;
    }

    private void authenticated(RoutingContext rc, Consumer<Caller> then) {
        rc.request().pause();
        publicRequests.begin(rc, "keys");
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

    /** admin-service's answer as it is, except its own auth failures (our misconfiguration) and 5xx/transport errors. */
    private void relay(RoutingContext rc, Uni<HttpResponse<io.vertx.mutiny.core.buffer.Buffer>> call) {
        call.emitOn(Contexts.of(Vertx.currentContext())).subscribe().with(in -> {
            HttpServerResponse resp = rc.response();
            if (resp.closed() || resp.ended()) {
                return;
            }
            int status = in.statusCode();
            if (status == 401 || status == 403) {
                LOG.errorf("admin-service refused the edge's credential on the user-key routes (%d)", status);
                errors.send(rc, ApiError.internal("Internal error in the gateway."));
                return;
            }
            if (status >= 500) {
                LOG.warnf("admin-service user-key route answered %d", status);
                errors.send(rc, unavailable());
                return;
            }
            resp.setStatusCode(status);
            resp.putHeader("cache-control", "no-store");
            io.vertx.mutiny.core.buffer.Buffer b = in.body();
            if (status == 204 || b == null || b.length() == 0) {
                resp.end();
                return;
            }
            resp.putHeader("content-type", "application/json");
            resp.end(b.getDelegate());
        }, t -> {
            LOG.warnf("admin-service user-key call failed: %s", LogSafe.escape(t));
            errors.send(rc, unavailable());
        });
    }

    private static ApiError unavailable() {
        return new ApiError(503, "api_error", "service_unavailable", null,
                "API keys cannot be managed right now; please retry.", null).withHeader("retry-after", "1");
    }

    private void methodNotAllowed(RoutingContext rc, String allowed) {
        publicRequests.begin(rc, "other");
        rc.response().putHeader("allow", allowed);
        errors.send(rc, new ApiError(405, "invalid_request_error", "method_not_allowed", null,
                "Method " + rc.request().method().name() + " not allowed on " + rc.request().path()
                        + " (use " + allowed + ").", null));
    }

    private void failure(RoutingContext rc) {
        errors.send(rc, rc.failure() != null ? errors.toError(rc.failure())
                : ApiError.internal("Internal error in the gateway."));
    }

    /** A 400 naming the parameter. */
    static final class BadInput extends Exception {
        final String param;

        BadInput(String message, String param) {
            super(message, null, false, false);
            this.param = param;
        }
    }
}
