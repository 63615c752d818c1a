package io.aigateway.contracts.error;

/**
 * The one error taxonomy every provider failure is mapped into (docs/architecture.md, "Routing").
 * The router decides retry, fallback and breaker accounting from the class only.
 */
public enum ErrorClass {
    RATE_LIMITED(true, true, false, 429, "rate_limit_error", "rate_limit_exceeded"),
    OVERLOADED(true, true, true, 502, "api_error", "upstream_overloaded"),
    UPSTREAM_5XX(true, true, true, 502, "api_error", "upstream_error"),
    CONNECTION(true, true, true, 502, "api_error", "upstream_connection_error"),
    MALFORMED_RESPONSE(true, true, true, 502, "api_error", "upstream_malformed_response"),
    TIMEOUT(true, true, true, 504, "api_error", "upstream_timeout"),
    AUTH(false, true, true, 502, "api_error", "upstream_auth_error"),
    INSUFFICIENT_CREDIT(false, true, true, 502, "api_error", "upstream_insufficient_credit"),
    MODEL_NOT_FOUND(false, true, false, 404, "invalid_request_error", "model_not_found"),
    CONTEXT_TOO_LONG(false, true, false, 400, "invalid_request_error", "context_length_exceeded"),
    BAD_REQUEST(false, false, false, 400, "invalid_request_error", "invalid_request"),
    CONTENT_FILTERED(false, false, false, 400, "invalid_request_error", "content_filter");

    private final boolean retrySameProvider;
    private final boolean fallback;
    private final boolean countsAgainstBreaker;
    private final int clientStatus;
    private final String openAiType;
    private final String openAiCode;

    ErrorClass(boolean retrySameProvider, boolean fallback, boolean countsAgainstBreaker, int clientStatus,
               String openAiType, String openAiCode) {
        this.retrySameProvider = retrySameProvider;
        this.fallback = fallback;
        this.countsAgainstBreaker = countsAgainstBreaker;
        this.clientStatus = clientStatus;
        this.openAiType = openAiType;
        this.openAiCode = openAiCode;
    }

    /** Whether a retry against the same provider may succeed. */
    public boolean retrySameProvider() {
        return retrySameProvider;
    }

    /** Whether the router may try the next candidate. CONTEXT_TOO_LONG only to larger-context ones. */
    public boolean fallback() {
        return fallback;
    }

    public boolean countsAgainstBreaker() {
        return countsAgainstBreaker;
    }

    /** HTTP status the client sees when this is the final error. */
    public int clientStatus() {
        return clientStatus;
    }

    public String openAiType() {
        return openAiType;
    }

    public String openAiCode() {
        return openAiCode;
    }

    /** Failures that retrying the same request cannot fix: sent with {@code x-should-retry: false}. */
    public boolean clientShouldNotRetry() {
        return switch (this) {
            case AUTH, INSUFFICIENT_CREDIT, MODEL_NOT_FOUND, CONTEXT_TOO_LONG, BAD_REQUEST, CONTENT_FILTERED -> true;
            default -> false;
        };
    }

    /**
     * Default mapping of an upstream HTTP status to a class, for OpenAI-style providers. Providers refine
     * it from their error bodies (e.g. context length, content filter) in their own adapter.
     */
    public static ErrorClass fromHttpStatus(int status) {
        return switch (status) {
            case 400, 422 -> BAD_REQUEST;
            case 401, 403 -> AUTH;
            case 402 -> INSUFFICIENT_CREDIT;
            case 404 -> MODEL_NOT_FOUND;
            case 408, 504 -> TIMEOUT;
            case 413 -> CONTEXT_TOO_LONG;
            case 429 -> RATE_LIMITED;
            case 503, 529 -> OVERLOADED;
            default -> status >= 500 ? UPSTREAM_5XX : BAD_REQUEST;
        };
    }
}
