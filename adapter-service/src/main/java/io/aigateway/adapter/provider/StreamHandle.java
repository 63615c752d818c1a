package io.aigateway.adapter.provider;

/** Control of a running upstream stream. */
public interface StreamHandle {

    /** The consumer went away: abort the upstream call quietly (no sink callbacks after this). */
    void cancel();
}
