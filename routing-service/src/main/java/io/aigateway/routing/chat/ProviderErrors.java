package io.aigateway.routing.chat;

import io.aigateway.routing.adapter.AttemptFailure;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.routing.route.Candidate;
import io.vertx.core.buffer.Buffer;

import java.util.concurrent.TimeoutException;

/** Turns what the adapter hop produced into {@link AttemptFailure}s. */
final class ProviderErrors {

    private ProviderErrors() {
    }

    /** A non-2xx answer: its body should be a ProviderError; anything else is classified by status. */
    static AttemptFailure fromAnswer(ObjectMapper mapper, Candidate c, int status, Buffer body) {
        if (body != null && body.length() > 0) {
            try {
                ProviderError pe = mapper.readValue(body.getBytes(), ProviderError.class);
                return new AttemptFailure(pe, status);
            } catch (Exception e) {
                // not a ProviderError (e.g. a proxy's page): classified below
            }
        }
        ErrorClass ec = status >= 500 ? (status == 504 ? ErrorClass.TIMEOUT : ErrorClass.UPSTREAM_5XX)
                : ErrorClass.MALFORMED_RESPONSE;
        return new AttemptFailure(new ProviderError(ec, null, null,
                "adapter-service answered HTTP " + status + " without a provider error", c.providerId(), c.modelId()), status);
    }

    /** The hop to the adapter failed (connection refused, reset, idle timeout). */
    static AttemptFailure fromHop(Candidate c, Throwable t) {
        if (t instanceof AttemptFailure f) {
            return f;
        }
        if (t instanceof TimeoutException) {
            return timeout(c, "adapter-service did not answer in time");
        }
        String what = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return new AttemptFailure(new ProviderError(ErrorClass.CONNECTION, null, null,
                "adapter-service unreachable: " + what, c.providerId(), c.modelId()), null);
    }

    static AttemptFailure timeout(Candidate c, String message) {
        return new AttemptFailure(new ProviderError(ErrorClass.TIMEOUT, null, null, message, c.providerId(), c.modelId()), null);
    }

    static AttemptFailure malformed(Candidate c, String message) {
        return new AttemptFailure(new ProviderError(ErrorClass.MALFORMED_RESPONSE, null, null, message,
                c.providerId(), c.modelId()), 200);
    }
}
