package io.aigateway.support.rest;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.support.http.ErrorWriter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** {@link ErrorWriter}'s envelope as a JAX-RS {@link Response}, for the services' exception mappers. */
public final class JaxRsErrors {

    private JaxRsErrors() {
    }

    public static Response toResponse(ApiError error) {
        Response.ResponseBuilder b = Response.status(error.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorWriter.bytes(error));
        for (Map.Entry<String, String> h : error.headers().entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        return b.build();
    }
}
