package io.aigateway.edge.http;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.edge.chat.ChatCompletionsHandler;
import io.aigateway.edge.config.EdgeConfig;
import io.aigateway.edge.keys.KeysHandler;
import io.aigateway.edge.models.ModelsHandler;
import io.aigateway.edge.preferences.PreferencesHandler;
import io.aigateway.edge.usage.UsageHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The public OpenAI-compatible routes, as plain Vert.x routes: the chat relay decides its status late
 * (JSON error vs. SSE) and enforces the body limit itself so that 413 comes in the OpenAI envelope.
 * Unknown {@code /v1} paths → 404 and wrong methods → 405, both in the envelope.
 */
@ApplicationScoped
public class EdgeRouter {

    private final ChatCompletionsHandler chat;
    private final ModelsHandler models;
    private final ErrorResponder errors;
    private final PublicRequests publicRequests;
    private final PreferencesHandler preferences;
    private final UsageHandler usage;
    private final KeysHandler keys;
    private final long maxBodyBytes;

    public EdgeRouter(ChatCompletionsHandler chat, ModelsHandler models, ErrorResponder errors,
                      PublicRequests publicRequests, PreferencesHandler preferences, EdgeConfig config,
                      UsageHandler usage, KeysHandler keys) {
        this.usage = usage;
        this.keys = keys;
        this.maxBodyBytes = config.maxBodyBytes();
        this.chat = chat;
        this.models = models;
        this.errors = errors;
        this.publicRequests = publicRequests;
        this.preferences = preferences;
    }

    void register(@Observes Router router) {
        router.post("/v1/chat/completions").handler(chat);
        router.get("/v1/models").handler(models);
        router.route("/v1/chat/completions").handler(rc -> methodNotAllowed(rc, "POST"));
        router.route("/v1/models").handler(rc -> methodNotAllowed(rc, "GET"));
        router.route("/v1/*").handler(this::notFound);
        router.route("/v1/*").failureHandler(this::failure);
        preferences.register(router);
        usage.register(router);
        keys.register(router);
    }

    /** Anything that escaped a handler still answers in the envelope, never with a stack trace. */
    private void failure(RoutingContext rc) {
        ApiError error;
        if (rc.failure() != null) {
            error = errors.toError(rc.failure());
        } else if (rc.statusCode() == 413) {
            error = ApiError.tooLarge(maxBodyBytes);
        } else if (rc.statusCode() >= 400 && rc.statusCode() < 500) {
            error = new ApiError(rc.statusCode(), "invalid_request_error", "invalid_request", null,
                    "The request could not be processed.", null);
        } else {
            error = ApiError.internal("Internal error in the gateway.");
        }
        errors.send(rc, error);
    }

    private void methodNotAllowed(RoutingContext rc, String allowed) {
        publicRequests.begin(rc, "other");
        rc.response().putHeader("allow", allowed);
        errors.send(rc, new ApiError(405, "invalid_request_error", "method_not_allowed", null,
                "Method " + rc.request().method().name() + " not allowed on " + rc.request().path()
                        + " (use " + allowed + ").", null));
    }

    private void notFound(RoutingContext rc) {
        publicRequests.begin(rc, "other");
        errors.send(rc, ApiError.notFound("Unknown request URL: " + rc.request().method().name() + " "
                + rc.request().path() + "."));
    }
}
