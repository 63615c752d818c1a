package io.aigateway.fake.openai;

import io.aigateway.fake.server.Http;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** OpenAI-style error bodies by status (what api.openai.com answers), plus the retry hints it sends. */
final class OpenAiErrors {

    private OpenAiErrors() {
    }

    /** Sends an error: {@code rawBody} as-is when given, else the default envelope for {@code status}. */
    static void send(HttpServerRequest req, int status, String rawBody) {
        HttpServerResponse resp = req.response();
        if (resp.closed() || resp.ended()) {
            return;
        }
        if (status == 429 || status == 503) {
            resp.putHeader("retry-after", "1");
        }
        Http.json(req, status, rawBody != null ? rawBody : defaultBody(status));
    }

    static void invalid(HttpServerRequest req, String message, String param, String code) {
        Http.json(req, 400, Http.errorEnvelope(message, "invalid_request_error", param, code));
    }

    static String defaultBody(int status) {
        return switch (status) {
            case 400 -> Http.errorEnvelope("Bad request (injected by the fake provider)", "invalid_request_error",
                    null, null);
            case 401 -> Http.errorEnvelope("Incorrect API key provided.", "invalid_request_error", null,
                    "invalid_api_key");
            case 402 -> Http.errorEnvelope("Insufficient balance.", "insufficient_quota", null, "insufficient_quota");
            case 403 -> Http.errorEnvelope("You are not allowed to access this resource.", "permission_error", null,
                    "permission_denied");
            case 404 -> Http.errorEnvelope("The model does not exist or you do not have access to it.",
                    "invalid_request_error", "model", "model_not_found");
            case 408 -> Http.errorEnvelope("Request timed out.", "timeout", null, "timeout");
            case 409 -> Http.errorEnvelope("Conflict.", "invalid_request_error", null, "conflict");
            case 422 -> Http.errorEnvelope("Unprocessable request.", "invalid_request_error", null, "unprocessable_entity");
            case 429 -> Http.errorEnvelope("Rate limit reached for requests. Please try again in 1s.", "requests",
                    null, "rate_limit_exceeded");
            case 500 -> Http.errorEnvelope("The server had an error while processing your request. Sorry about that!",
                    "server_error", null, null);
            case 502 -> Http.errorEnvelope("Bad gateway.", "server_error", null, "bad_gateway");
            case 503 -> Http.errorEnvelope("The engine is currently overloaded, please try again later.",
                    "server_error", null, "overloaded");
            case 504 -> Http.errorEnvelope("Gateway timeout.", "server_error", null, "timeout");
            default -> status >= 500
                    ? Http.errorEnvelope("Server error " + status + ".", "server_error", null, null)
                    : Http.errorEnvelope("Request failed with status " + status + ".", "invalid_request_error",
                            null, null);
        };
    }
}
