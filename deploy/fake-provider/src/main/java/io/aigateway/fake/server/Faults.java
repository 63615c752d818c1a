package io.aigateway.fake.server;

import io.aigateway.fake.control.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

import java.util.concurrent.ThreadLocalRandom;

/** Applies the outage / error-rate / latency knobs before a format produces its answer. Format-agnostic. */
public final class Faults {

    /** Renders an injected error in the format's own shape. */
    @FunctionalInterface
    public interface ErrorResponder {
        void respond(HttpServerRequest req, int status, String rawBody);
    }

    private final Vertx vertx;

    public Faults(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Outage → the connection is closed now. Otherwise, after {@code latencyMs}, either an injected error
     * (probability {@code errorRate}) or {@code answer}.
     */
    public void apply(HttpServerRequest req, Settings settings, ErrorResponder errors, Runnable answer) {
        if (settings.outage()) {
            Http.drop(req);
            return;
        }
        double rate = settings.errorRate();
        boolean fail = rate > 0 && (rate >= 1 || ThreadLocalRandom.current().nextDouble() < rate);
        Runnable action = fail ? () -> errors.respond(req, settings.errorStatus(), settings.errorBody()) : answer;
        later(req, settings.latencyMs(), action);
    }

    /** Runs {@code action} after {@code delayMs} on the current event loop, unless the client went away. */
    public void later(HttpServerRequest req, long delayMs, Runnable action) {
        if (delayMs <= 0) {
            action.run();
            return;
        }
        vertx.setTimer(delayMs, id -> {
            if (!req.response().closed()) {
                action.run();
            }
        });
    }
}
