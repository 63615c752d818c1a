package io.aigateway.usage.web;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.support.rest.JaxRsErrors;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as the OpenAI envelope; never a stack trace. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response apiError(ApiException e) {
        return JaxRsErrors.toResponse(e.error());
    }

    @ServerExceptionMapper
    public Response webError(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf("Request failed: %s", LogSafe.escape(e));
            return JaxRsErrors.toResponse(ApiError.internal("Internal error."));
        }
        String type = status == 401 || status == 403 ? "permission_error" : "invalid_request_error";
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406, 415 -> "unsupported_media_type";
            default -> "invalid_request";
        };
        String message = Response.Status.fromStatusCode(status) == null
                ? "Request rejected." : Response.Status.fromStatusCode(status).getReasonPhrase() + ".";
        return JaxRsErrors.toResponse(new ApiError(status, type, code, null, message, null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        // No stack trace in logs or responses (it may carry data); the class and message are enough to triage.
        LOG.errorf("Unexpected error: %s", LogSafe.escape(e));
        return JaxRsErrors.toResponse(ApiError.internal("Internal error."));
    }
}
