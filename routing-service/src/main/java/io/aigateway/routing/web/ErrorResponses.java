package io.aigateway.routing.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.util.Map;

/** Writes an {@link ApiError} as the OpenAI envelope on a raw Vert.x response. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static void write(HttpServerResponse response, ObjectMapper mapper, ApiError error) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.end();
            return;
        }
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(error.envelope());
        } catch (JsonProcessingException e) {
            body = "{\"error\":{\"message\":\"internal error\",\"type\":\"api_error\",\"param\":null,\"code\":\"internal_error\"}}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        response.setStatusCode(error.status());
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        for (Map.Entry<String, String> h : error.headers().entrySet()) {
            response.putHeader(h.getKey(), h.getValue());
        }
        response.end(Buffer.buffer(body));
    }
}
