package io.aigateway.usage.records.service;

import io.vertx.pgclient.PgException;

/** Which database failures retrying can fix. */
public final class DbFailures {

    private DbFailures() {
    }

    /**
     * Permanent: PostgreSQL rejected this row's data (SQLSTATE class 22 data exception, 23 integrity
     * violation). Everything else (connection refused or closed, timeouts, pool closed, server shutting
     * down, ...) is treated as transient and retried: losing a usage record is worse than waiting.
     */
    public static boolean isPermanent(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InvalidUsageEventException) {
                return true;
            }
            if (c instanceof PgException pg) {
                String state = pg.getSqlState();
                return state != null && (state.startsWith("22") || state.startsWith("23"));
            }
        }
        return false;
    }

    public static boolean isTransient(Throwable t) {
        return !isPermanent(t);
    }
}
