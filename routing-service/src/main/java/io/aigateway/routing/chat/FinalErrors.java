package io.aigateway.routing.chat;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.internal.AigwHeaders;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's answer when every tried candidate failed (docs/architecture.md, "Routing"): 400 when the
 * last failure was the request's fault (code {@code content_filter} / {@code context_length_exceeded}),
 * 429 only if every candidate was rate limited, 504 if all timed out, 404 if none had the model, else 502.
 */
public final class FinalErrors {

    private static final int MAX_PROVIDER_MESSAGE = 300;

    private FinalErrors() {
    }

    public static ApiError of(String requestedModel, List<AttemptRecord> attempts) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(AigwHeaders.ATTEMPTS, Integer.toString(attempts.size()));
        if (attempts.isEmpty()) {
            return new ApiError(504, ErrorClass.TIMEOUT.openAiType(), ErrorClass.TIMEOUT.openAiCode(), null,
                    "The deadline for model '" + requestedModel + "' passed before any provider answered.", headers);
        }
        if (attempts.stream().allMatch(AttemptRecord::rejectedByBreaker)) {
            ApiError e = ApiError.noCandidate("Every provider tried for model '" + requestedModel
                    + "' is failing (circuit open); try again shortly.", 5);
            return e.withHeader(AigwHeaders.ATTEMPTS, Integer.toString(attempts.size()));
        }
        AttemptRecord last = attempts.get(attempts.size() - 1);
        ErrorClass lastClass = last.errorClass();
        int status;
        ErrorClass shown;
        if (lastClass == ErrorClass.BAD_REQUEST || lastClass == ErrorClass.CONTENT_FILTERED
                || lastClass == ErrorClass.CONTEXT_TOO_LONG) {
            status = 400;
            shown = lastClass;
        } else if (all(attempts, ErrorClass.RATE_LIMITED)) {
            status = 429;
            shown = ErrorClass.RATE_LIMITED;
        } else if (all(attempts, ErrorClass.TIMEOUT)) {
            status = 504;
            shown = ErrorClass.TIMEOUT;
        } else if (all(attempts, ErrorClass.MODEL_NOT_FOUND)) {
            status = 404;
            shown = ErrorClass.MODEL_NOT_FOUND;
        } else {
            status = 502;
            shown = lastClass != null && lastClass.clientStatus() == 502 ? lastClass : null;
        }
        boolean unfixable = status == 400 || attempts.stream()
                .allMatch(a -> a.errorClass() != null && a.errorClass().clientShouldNotRetry());
        if (unfixable) {
            headers.put(AigwHeaders.SHOULD_RETRY, "false");
        } else {
            Long retryAfterMs = null;
            for (AttemptRecord a : attempts) {
                Long r = a.error() == null ? null : a.error().retryAfterMs();
                if (r != null && r >= 0 && (retryAfterMs == null || r < retryAfterMs)) {
                    retryAfterMs = r;
                }
            }
            if (retryAfterMs != null) {
                headers.put(AigwHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfterMs + 999) / 1000)));
            }
        }
        String type = shown == null ? "api_error" : shown.openAiType();
        String code = shown == null ? "upstream_error" : shown.openAiCode();
        String param = status == 404 ? "model" : (status == 400 && lastClass == ErrorClass.CONTEXT_TOO_LONG ? "messages" : null);
        return new ApiError(status, type, code, param, message(requestedModel, attempts, last), headers);
    }

    static String message(String requestedModel, List<AttemptRecord> attempts, AttemptRecord last) {
        StringBuilder sb = new StringBuilder(128);
        sb.append(attempts.size() == 1 ? "The provider" : "All " + attempts.size() + " providers")
                .append(" tried for model '").append(requestedModel).append("' failed: ");
        for (int i = 0; i < attempts.size(); i++) {
            AttemptRecord a = attempts.get(i);
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(a.candidate().providerId()).append('/').append(a.candidate().modelId()).append(' ')
                    .append(a.errorName()).append(" (status ").append(a.status() == null ? "none" : a.status()).append(')');
        }
        String detail = last.error() == null ? null : last.error().message();
        if (detail != null && !detail.isBlank() && !detail.equals(String.valueOf(last.errorClass()))) {
            sb.append(". Last error: ").append(detail.length() > MAX_PROVIDER_MESSAGE
                    ? detail.substring(0, MAX_PROVIDER_MESSAGE) + "…" : detail);
        }
        return sb.toString();
    }

    private static boolean all(List<AttemptRecord> attempts, ErrorClass c) {
        for (AttemptRecord a : attempts) {
            if (a.errorClass() != c) {
                return false;
            }
        }
        return true;
    }
}
