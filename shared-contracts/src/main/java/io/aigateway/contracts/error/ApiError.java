package io.aigateway.contracts.error;

import io.aigateway.contracts.text.LogSafe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error the gateway answers to a client: HTTP status plus the OpenAI envelope fields plus the headers
 * that go with it ({@code retry-after}, {@code x-should-retry}). Thrown as {@link ApiException}; every
 * service has one exception mapper that renders it as {@link ErrorEnvelope}.
 */
public record ApiError(int status, String type, String code, String param, String message,
                       Map<String, String> headers) {

    /** Longest part of a model name echoed in {@link #modelNotFound} (escaped, see {@link LogSafe}). */
    static final int MODEL_ECHO_MAX = 256;

    public ApiError {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public ErrorEnvelope envelope() {
        return ErrorEnvelope.of(message, type, param, code);
    }

    public ApiError withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiError(status, type, code, param, message, copy);
    }

    public ApiException exception() {
        return new ApiException(this);
    }

    public static ApiError badRequest(String message, String param) {
        return new ApiError(400, "invalid_request_error", "invalid_request", param, message, null);
    }

    public static ApiError badRequest(String message, String param, String code) {
        return new ApiError(400, "invalid_request_error", code, param, message, null);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "invalid_request_error", "invalid_api_key", null, message, null);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "permission_error", "forbidden", null, message, null);
    }

    public static ApiError modelNotFound(String model) {
        return new ApiError(404, "invalid_request_error", "model_not_found", "model",
                "The model '" + LogSafe.escape(model, MODEL_ECHO_MAX) + "' does not exist or you do not have access to it.",
                null)
                .withHeader("x-should-retry", "false");
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "invalid_request_error", "not_found", null, message, null);
    }

    public static ApiError tooLarge(long limitBytes) {
        return new ApiError(413, "invalid_request_error", "request_too_large", null,
                "Request body exceeds the limit of " + limitBytes + " bytes.", null)
                .withHeader("x-should-retry", "false");
    }

    public static ApiError noCandidate(String message, long retryAfterSeconds) {
        return new ApiError(503, "api_error", "no_provider_available", null, message, null)
                .withHeader("retry-after", Long.toString(Math.max(1, retryAfterSeconds)));
    }

    public static ApiError internal(String message) {
        return new ApiError(500, "api_error", "internal_error", null, message, null);
    }
}
