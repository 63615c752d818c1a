package io.aigateway.fake.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** Small response helpers shared by the control API and the wire formats. */
public final class Http {

    public static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

    private Http() {
    }

    public static void json(HttpServerRequest req, int status, JsonObject body) {
        json(req, status, body.toBuffer());
    }

    public static void json(HttpServerRequest req, int status, String body) {
        json(req, status, Buffer.buffer(body));
    }

    public static void json(HttpServerRequest req, int status, Buffer body) {
        HttpServerResponse resp = req.response();
        if (resp.closed() || resp.ended()) {
            return;
        }
        resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(body);
    }

    /** An OpenAI-style error envelope: {@code {"error":{"message","type","param","code"}}}. */
    public static String errorEnvelope(String message, String type, String param, String code) {
        return "{\"error\":{\"message\":" + Json.encode(message) + ",\"type\":" + Json.encode(type)
                + ",\"param\":" + (param == null ? "null" : Json.encode(param))
                + ",\"code\":" + (code == null ? "null" : Json.encode(code)) + "}}";
    }

    /** Closes the connection without answering (an "outage"). */
    public static void drop(HttpServerRequest req) {
        req.connection().close();
    }
}
