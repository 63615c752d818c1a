package io.aigateway.adapter.conformance;

/**
 * The fixed capability list of the conformance suite. A kind declares what does not apply to it in one
 * place ({@link ProviderConformanceTest#notApplicable()}); those tests are skipped (reported as skipped =
 * not applicable), never faked.
 */
public enum Capability {
    CHAT,
    STREAM_USAGE,
    TOOL_CALLS,
    HEALTH,
    MODEL_LISTING,
    AUTH_401,
    CREDIT_402,
    MODEL_NOT_FOUND_404,
    CONTEXT_TOO_LONG,
    RATE_LIMIT_429,
    SERVER_ERROR_500,
    OVERLOADED_503,
    TIMEOUT_FIRST_BYTE,
    STALL_BETWEEN_CHUNKS,
    CONNECTION_RESET,
    MALFORMED_BODY
}
