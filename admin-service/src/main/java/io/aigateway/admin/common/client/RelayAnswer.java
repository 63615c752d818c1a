package io.aigateway.admin.common.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.UncheckedIOException;

/**
 * Another service's answer as the admin gets it: its status, its JSON body unchanged (an error envelope included)
 * and its {@code retry-after}, if any. Built only by {@link ServiceRelay}, which has checked the body is JSON.
 *
 * @param body JSON text, or null when the answer had none (204)
 */
public record RelayAnswer(int status, String body, String retryAfter) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public JsonNode json(ObjectMapper mapper) {
        try {
            return body == null ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Response toResponse() {
        Response.ResponseBuilder out = Response.status(status);
        if (body != null) {
            out.entity(body).type(MediaType.APPLICATION_JSON_TYPE);
        }
        if (retryAfter != null) {
            out.header("retry-after", retryAfter);
        }
        return out.build();
    }
}
