package io.aigateway.support.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one writer of an {@link ApiError} as OpenAI's envelope {@code {"error":{message,type,param,code}}} with
 * its status and headers. Vert.x routes call {@link #write}; JAX-RS exception mappers render {@link #bytes}.
 */
public final class ErrorWriter {

    private static final ObjectMapper MAPPER = Json.newMapper();
    private static final byte[] FALLBACK = "{\"error\":{\"message\":\"Internal error.\",\"type\":\"api_error\",\"param\":null,\"code\":\"internal_error\"}}"
            .getBytes(StandardCharsets.UTF_8);

    private ErrorWriter() {
    }

    /** The envelope's JSON bytes. */
    public static byte[] bytes(ApiError error) {
        try {
            return MAPPER.writeValueAsBytes(error.envelope());
        } catch (JsonProcessingException e) {
            return FALLBACK.clone();
        }
    }

    /**
     * Ends the response with the error, unless it has ended already; once the head is written (a stream that
     * failed late) it can only be ended as it is.
     */
    public static void write(HttpServerResponse response, ApiError error) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.end();
            return;
        }
        response.setStatusCode(error.status());
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        for (Map.Entry<String, String> h : error.headers().entrySet()) {
            response.putHeader(h.getKey(), h.getValue());
        }
        response.end(Buffer.buffer(bytes(error)));
    }
}
