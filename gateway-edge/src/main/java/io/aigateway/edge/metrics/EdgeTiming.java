package io.aigateway.edge.metrics;

import io.vertx.ext.web.RoutingContext;

/**
 * The waits of one relayed request (for routing-service, for the key lookup), kept on its
 * {@link RoutingContext}, so that {@code aigw_edge_overhead_seconds} is the edge's own time. Event-loop only.
 */
public final class EdgeTiming {

    private static final String KEY = "aigw.edge.timing";

    private long waitedNanos;
    private long since = -1;

    /** Starts the timing of {@code rc}: recorded under {@code route} when the answer's head is written. */
    public static void start(RoutingContext rc, String route, long startNanos, EdgeMetrics metrics) {
        EdgeTiming t = new EdgeTiming();
        rc.put(KEY, t);
        rc.addHeadersEndHandler(v -> {
            t.stop(System.nanoTime());
            metrics.overhead(route, System.nanoTime() - startNanos - t.waitedNanos);
        });
    }

    /** The request starts waiting for another service (no-op when not timed). */
    public static void waiting(RoutingContext rc) {
        EdgeTiming t = rc.get(KEY);
        if (t != null && t.since < 0) {
            t.since = System.nanoTime();
        }
    }

    /** The wait started by {@link #waiting} is over. */
    public static void answered(RoutingContext rc) {
        EdgeTiming t = rc.get(KEY);
        if (t != null) {
            t.stop(System.nanoTime());
        }
    }

    /** Adds a wait measured elsewhere (e.g. an asynchronous key lookup). */
    public static void waited(RoutingContext rc, long nanos) {
        EdgeTiming t = rc.get(KEY);
        if (t != null && nanos > 0) {
            t.waitedNanos += nanos;
        }
    }

    private void stop(long now) {
        if (since >= 0) {
            waitedNanos += now - since;
            since = -1;
        }
    }
}
