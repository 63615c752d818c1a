package io.aigateway.contracts.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A provider failure as adapter-service reports it to routing-service: the body of a non-2xx answer of
 * {@code /internal/v1/providers/{id}/chat}, or the data of an {@code event: aigw-error} mid-stream.
 *
 * @param providerStatus the upstream HTTP status, null when none (connection failure, timeout)
 * @param retryAfterMs   the provider's retry-after hint in milliseconds, null when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderError(ErrorClass errorClass, Integer providerStatus, Long retryAfterMs, String message,
                            String provider, String model) {

    public ProviderError {
        if (errorClass == null) {
            throw new IllegalArgumentException("errorClass is required");
        }
        message = message == null ? errorClass.name() : message;
    }

    public static ProviderError of(ErrorClass errorClass, String message, String provider, String model) {
        return new ProviderError(errorClass, null, null, message, provider, model);
    }
}
