package io.aigateway.routing.route;

/** The round-robin position per resolution key (model group or model name), shared between instances. */
public interface RoundRobinPositions {

    /** @return the next position for {@code key} (non-negative; callers take it modulo the candidate count) */
    long next(String key);
}
