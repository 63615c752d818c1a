package io.aigateway.admin.quotas.client;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * usage-service's answer as the admin gets it: its status, its JSON body unchanged (an error envelope included, so
 * that {@code param} and {@code code} reach the admin) and its {@code retry-after}, if any.
 *
 * @param body JSON text, or null when the answer had none (204)
 */
public record UsageAnswer(int status, String body, String retryAfter) {

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
