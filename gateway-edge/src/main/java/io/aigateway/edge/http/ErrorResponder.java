package io.aigateway.edge.http;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.support.http.ErrorWriter;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.vertx.core.buffer.Buffer;
import io.aigateway.edge.config.EdgeConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * Renders an {@link ApiError} as OpenAI's envelope with its status and headers: with service-support's {@link ErrorWriter}, plus what only the
 * edge needs: a request body not yet read is discarded (or the connection closed) so the connection stays usable (the public routes are plain Vert.x routes, see {@code EdgeRouter}).
 */
@ApplicationScoped
public class ErrorResponder {

    private static final Logger LOG = Logger.getLogger(ErrorResponder.class);
    private final long maxBodyBytes;

    public ErrorResponder(EdgeConfig config) {
        this.maxBodyBytes = config.maxBodyBytes();
    }

    /** Maps any failure to an error: {@link ApiException} keeps its error; anything else is a logged 500. */
    public ApiError toError(Throwable t) {
        if (t instanceof ApiException ae) {
            return ae.error();
        }
        LOG.errorf("Unexpected failure: %s", LogSafe.escape(t));
        return ApiError.internal("Internal error in the gateway.");
    }

    /** Writes the envelope unless a response was already started (then just closes the stream). */
    public void send(RoutingContext rc, ApiError error) {
        HttpServerResponse resp = rc.response();
        if (resp.ended() || resp.closed()) {
            return;
        }
        if (resp.headWritten()) {
            resp.end();
            return;
        }
        Buffer body = Buffer.buffer(ErrorWriter.bytes(error));
        resp.setStatusCode(error.status());
        for (Map.Entry<String, String> h : error.headers().entrySet()) {
            resp.putHeader(h.getKey(), h.getValue());
        }
        resp.putHeader("content-type", "application/json");
        HttpServerRequest req = rc.request();
        if (!req.isEnded()) {
            // Answered before the body was read (e.g. 401): discard a reasonable body to keep the connection
            // usable; close it rather than read a huge one.
            if (contentLength(req.getHeader("content-length")) > maxBodyBytes) {
                resp.putHeader("connection", "close");
                resp.end(body).onComplete(v -> req.connection().close());
                return;
            }
            req.handler(DISCARD);
            req.resume();
        }
        resp.end(body);
    }

    private static final io.vertx.core.Handler<Buffer> DISCARD = b -> {
    };

    private static long contentLength(String v) {
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
