package io.aigateway.contracts.error;

/** Carries an {@link ApiError} through reactive pipelines; no stack trace (it is an expected outcome). */
public class ApiException extends RuntimeException {

    private final transient ApiError error;

    public ApiException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
