package io.aigateway.edge.http;

import io.aigateway.contracts.error.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a (paused) request body up to a limit. Over the limit the rest is drained and discarded so that the
 * client can read the 413 envelope; a body much larger than the limit gets the 413 and a closed connection.
 */
public final class BodyReader implements Handler<Buffer> {

    private static final int DRAIN_FACTOR = 4;

    private final RoutingContext rc;
    private final long limit;
    private final ErrorResponder errors;
    private final Handler<Buffer> onBody;
    private Buffer body;
    private long received;
    private boolean tooLarge;
    private boolean done;

    private BodyReader(RoutingContext rc, long limit, ErrorResponder errors, Handler<Buffer> onBody) {
        this.rc = rc;
        this.limit = limit;
        this.errors = errors;
        this.onBody = onBody;
    }

    public static void read(RoutingContext rc, long limit, ErrorResponder errors, Handler<Buffer> onBody) {
        HttpServerRequest req = rc.request();
        BodyReader reader = new BodyReader(rc, limit, errors, onBody);
        long declared = contentLength(req.getHeader("content-length"));
        if (declared > limit) {
            reader.tooLarge = true;
        } else {
            reader.body = Buffer.buffer(declared > 0 ? (int) declared : 1024);
        }
        if (req.isEnded()) {
            reader.end();
            return;
        }
        req.handler(reader);
        req.endHandler(v -> reader.end());
        req.exceptionHandler(t -> reader.done = true);
        req.resume();
    }

    @Override
    public void handle(Buffer chunk) {
        received += chunk.length();
        if (tooLarge) {
            if (received > limit * DRAIN_FACTOR && !done) {
                done = true;
                rc.request().pause();
                rc.response().putHeader("connection", "close");
                errors.send(rc, ApiError.tooLarge(limit));
                rc.response().closeHandler(null);
                rc.request().connection().close();
            }
            return;
        }
        if (received > limit) {
            tooLarge = true;
            body = null;
            return;
        }
        body.appendBuffer(chunk);
    }

    private void end() {
        if (done) {
            return;
        }
        done = true;
        if (tooLarge) {
            errors.send(rc, ApiError.tooLarge(limit));
        } else {
            onBody.handle(body);
        }
    }

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
