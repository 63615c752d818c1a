package io.aigateway.routing.web;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.support.rest.JaxRsErrors;
import io.aigateway.contracts.error.ApiException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** Renders every failure of a REST resource as the OpenAI envelope; never a stack trace. */
public class ApiExceptionMapper {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMapper.class);

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        return toResponse(e.error());
    }

    @ServerExceptionMapper
    public Response webApplicationException(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String type = status >= 500 ? "api_error" : "invalid_request_error";
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406, 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal_error" : "invalid_request";
        };
        String message = status >= 500 ? "Internal error." : e.getMessage();
        return toResponse(new ApiError(status, type, code, null, message, null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable t) {
        LOG.errorf("unexpected error: %s", LogSafe.escape(t));
        return toResponse(ApiError.internal("Internal error."));
    }

    static Response toResponse(ApiError error) {
        return JaxRsErrors.toResponse(error);
    }

}
