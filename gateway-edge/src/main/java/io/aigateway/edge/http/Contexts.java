package io.aigateway.edge.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.concurrent.Executor;

/** Brings reactive results back onto the request's (duplicated) Vert.x context, synchronously when already there. */
public final class Contexts {

    private Contexts() {
    }

    public static Executor of(Context ctx) {
        if (ctx == null) {
            return Runnable::run;
        }
        return r -> {
            if (Vertx.currentContext() == ctx) {
                r.run();
            } else {
                ctx.runOnContext(v -> r.run());
            }
        };
    }
}
