package io.aigateway.fake.server;

import io.aigateway.fake.control.UpstreamState;
import io.vertx.core.http.HttpServerRequest;

/** Handles one route below {@code /{upstream}} (called on the event loop; must not block). */
@FunctionalInterface
public interface UpstreamHandler {
    void handle(HttpServerRequest request, UpstreamState upstream);
}
