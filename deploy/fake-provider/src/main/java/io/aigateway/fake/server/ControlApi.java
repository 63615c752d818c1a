package io.aigateway.fake.server;

import io.aigateway.fake.control.ControlException;
import io.aigateway.fake.control.ControlState;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * {@code /_control/**}: knobs, reset, statistics and health.
 * <ul>
 *   <li>{@code GET /_control/health} → 200 {@code {"status":"UP"}}</li>
 *   <li>{@code POST /_control/reset} → every upstream back to defaults, statistics cleared</li>
 *   <li>{@code GET /_control/stats}, {@code DELETE /_control/stats} (clear statistics only)</li>
 *   <li>{@code GET /_control/upstreams}, {@code GET|PUT /_control/upstreams/{upstream}}</li>
 * </ul>
 */
final class ControlApi {

    static final String PREFIX = "/_control/";
    private static final String UPSTREAMS = "upstreams";

    private final ControlState state;

    ControlApi(ControlState state) {
        this.state = state;
    }

    void handle(HttpServerRequest req, String path) {
        String sub = path.substring(PREFIX.length());
        HttpMethod method = req.method();
        switch (sub) {
            case "health" -> {
                if (only(req, HttpMethod.GET)) {
                    Http.json(req, 200, "{\"status\":\"UP\"}");
                }
            }
            case "reset" -> {
                if (only(req, HttpMethod.POST)) {
                    state.reset();
                    Http.json(req, 200, "{\"reset\":true}");
                }
            }
            case "stats" -> {
                if (HttpMethod.DELETE.equals(method)) {
                    state.clearStats();
                    Http.json(req, 200, "{\"cleared\":true}");
                } else if (only(req, HttpMethod.GET)) {
                    Http.json(req, 200, state.stats());
                }
            }
            case UPSTREAMS -> {
                if (only(req, HttpMethod.GET)) {
                    Http.json(req, 200, state.allConfig());
                }
            }
            default -> {
                if (sub.startsWith(UPSTREAMS + "/") && sub.length() > UPSTREAMS.length() + 1
                        && sub.indexOf('/', UPSTREAMS.length() + 1) < 0) {
                    upstream(req, sub.substring(UPSTREAMS.length() + 1));
                } else {
                    Dispatcher.notFound(req);
                }
            }
        }
    }

    private void upstream(HttpServerRequest req, String upstream) {
        if (HttpMethod.GET.equals(req.method())) {
            Http.json(req, 200, state.config(upstream));
            return;
        }
        if (!only(req, HttpMethod.PUT)) {
            return;
        }
        req.body().onComplete(ar -> {
            if (ar.failed()) {
                Http.drop(req);
                return;
            }
            Buffer body = ar.result();
            JsonObject json;
            try {
                json = body.length() == 0 ? new JsonObject() : body.toJsonObject();
            } catch (RuntimeException e) {
                Http.json(req, 400, Http.errorEnvelope("The body must be a JSON object", "invalid_request_error",
                        null, "invalid_json"));
                return;
            }
            try {
                Http.json(req, 200, state.update(upstream, json));
            } catch (ControlException e) {
                Http.json(req, 400, Http.errorEnvelope(e.getMessage(), "invalid_request_error", e.param(),
                        "invalid_value"));
            }
        });
    }

    private static boolean only(HttpServerRequest req, HttpMethod method) {
        if (method.equals(req.method())) {
            return true;
        }
        Dispatcher.methodNotAllowed(req, method.name());
        return false;
    }
}
