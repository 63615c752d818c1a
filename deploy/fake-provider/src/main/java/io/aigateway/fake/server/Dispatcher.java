package io.aigateway.fake.server;

import io.aigateway.fake.control.ControlState;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.Map;

/**
 * Entry point of every request: {@code /_control/**} goes to the control API, {@code /{upstream}/{rest}} to the
 * wire-format handler registered for {@code rest}. Thread-safe; shared by all event loops.
 */
public final class Dispatcher implements Handler<HttpServerRequest> {

    private final ControlApi control;
    private final ControlState state;
    private final Routes routes = new Routes();

    public Dispatcher(ControlState state, List<WireFormat> formats) {
        this.state = state;
        this.control = new ControlApi(state);
        formats.forEach(f -> f.register(routes));
    }

    @Override
    public void handle(HttpServerRequest req) {
        String path = req.path();
        if (path.startsWith(ControlApi.PREFIX)) {
            control.handle(req, path);
            return;
        }
        int slash = path.length() > 1 ? path.indexOf('/', 1) : -1;
        if (slash <= 1 || path.charAt(1) == '_') {
            notFound(req);
            return;
        }
        String upstream = path.substring(1, slash);
        String rest = path.substring(slash);
        if (rest.length() > 1 && rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        Map<HttpMethod, UpstreamHandler> handlers = routes.find(rest);
        if (handlers == null) {
            notFound(req);
            return;
        }
        UpstreamHandler handler = handlers.get(req.method());
        if (handler == null) {
            methodNotAllowed(req, String.join(", ", Routes.allowed(handlers)));
            return;
        }
        handler.handle(req, state.upstream(upstream));
    }

    static void notFound(HttpServerRequest req) {
        Http.json(req, 404, Http.errorEnvelope("Unknown request URL: " + req.method() + " " + req.path(),
                "invalid_request_error", null, "unknown_url"));
    }

    static void methodNotAllowed(HttpServerRequest req, String allowed) {
        req.response().putHeader(HttpHeaders.ALLOW, allowed);
        Http.json(req, 405, Http.errorEnvelope("Method " + req.method() + " not allowed on " + req.path(),
                "invalid_request_error", null, "method_not_allowed"));
    }
}
