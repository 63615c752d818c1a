package io.aigateway.adapter.rest;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.support.rest.JaxRsErrors;
import io.aigateway.contracts.error.ApiException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every REST error as the OpenAI envelope; never a stack trace. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return render(e.error());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status == 404) {
            return render(ApiError.notFound("Not found."));
        }
        if (status == 405) {
            return render(new ApiError(405, "invalid_request_error", "method_not_allowed", null, "Method not allowed.", null));
        }
        if (status >= 400 && status < 500) {
            return render(new ApiError(status, "invalid_request_error", "invalid_request", null,
                    "Invalid request.", null));
        }
        LOG.errorf("request failed with status %d: %s", status, e.toString());
        return render(ApiError.internal("Internal error."));
    }

    @ServerExceptionMapper
    public Response any(Throwable e) {
        LOG.errorf("unexpected error: %s", e.toString());
        return render(ApiError.internal("Internal error."));
    }

    static Response render(ApiError error) {
        return JaxRsErrors.toResponse(error);
    }

}
