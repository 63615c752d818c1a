package io.aigateway.usage.web;

import io.aigateway.contracts.error.ApiError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** Renders an {@link ApiError} as the OpenAI error envelope with its status and headers. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static Response of(ApiError error) {
        Response.ResponseBuilder builder = Response.status(error.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(error.envelope());
        for (Map.Entry<String, String> h : error.headers().entrySet()) {
            builder.header(h.getKey(), h.getValue());
        }
        return builder.build();
    }
}
