package io.aigateway.admin.common;

import io.aigateway.support.rest.JaxRsErrors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.ConnectException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every error leaves this service as OpenAI's envelope {@code {"error":{message,type,param,code}}} with the
 * matching status. No stack trace, exception text of infrastructure, or secret ever reaches a response.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        return toResponse(e.error());
    }

    // Jackson's own mappers (registered by quarkus-rest-jackson) would answer these with their own body:
    // map each type explicitly so that ours win.
    @ServerExceptionMapper
    public Response jsonParse(JsonParseException e) {
        return toResponse(ApiError.badRequest("The request body is not valid JSON.", null, "invalid_json"));
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return toResponse(badJson(e));
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e) {
        return toResponse(badJson(e));
    }

    @ServerExceptionMapper
    public Response jsonProcessing(JsonProcessingException e) {
        return toResponse(ApiError.badRequest("The request body could not be read as JSON.", null, "invalid_json"));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status == 400 && hasCause(e, JsonProcessingException.class)) {
            return toResponse(ApiError.badRequest("The request body is not valid JSON.", null, "invalid_json"));
        }
        if (status >= 500) {
            LOG.warnf("Request failed with status %d (%s)", status, e.getClass().getSimpleName());
        }
        return toResponse(fromStatus(status));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable t) {
        if (hasCause(t, ConnectException.class)) {
            LOG.warnf("Storage unavailable: %s", t.getClass().getName());
            return toResponse(new ApiError(503, "api_error", "service_unavailable", null,
                    "A backing store is unavailable; try again shortly.", Map.of("retry-after", "5")));
        }
        // Class and message only: the message of our own code never holds secrets; no stack trace in logs.
        LOG.errorf("Unhandled error: %s: %s", t.getClass().getName(), t.getMessage());
        LOG.debug("Unhandled error detail", t);
        return toResponse(ApiError.internal("Internal error."));
    }

    public static Response toResponse(ApiError error) {
        return JaxRsErrors.toResponse(error);
    }

    private static ApiError badJson(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        String param = path.isEmpty() ? null : path;
        String message = param == null
                ? "The request body does not have the expected shape."
                : "Invalid value for '" + param + "'.";
        return ApiError.badRequest(message, param, "invalid_json");
    }

    private static ApiError fromStatus(int status) {
        return switch (status) {
            case 400 -> ApiError.badRequest("Bad request.", null);
            case 401 -> ApiError.unauthorized("Missing or invalid credentials.");
            case 403 -> ApiError.forbidden("Forbidden.");
            case 404 -> ApiError.notFound("Not found.");
            case 405 -> new ApiError(405, "invalid_request_error", "method_not_allowed", null, "Method not allowed.", null);
            case 406 -> new ApiError(406, "invalid_request_error", "not_acceptable", null, "Not acceptable.", null);
            case 413 -> ApiError.tooLarge(64 * 1024);
            case 415 -> new ApiError(415, "invalid_request_error", "unsupported_media_type", null,
                    "Unsupported media type; send application/json.", null);
            default -> status >= 500
                    ? ApiError.internal("Internal error.")
                    : new ApiError(status, "invalid_request_error", "invalid_request", null, "Request failed.", null);
        };
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
