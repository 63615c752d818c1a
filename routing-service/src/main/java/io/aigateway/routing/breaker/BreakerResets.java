package io.aigateway.routing.breaker;

import io.aigateway.contracts.config.BreakerReset;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which {@code breaker-reset:<provider>} records of {@code ai.config.v1} this instance acts on: a reset requested
 * after the instance started and newer than the last one it applied for that provider. Older records are history
 * (the topic is read whole at start, and a new instance's breakers start closed), and a record read again (after a
 * reconnect) is not applied twice. Pure logic: the start time is passed in.
 */
public final class BreakerResets {

    private final Instant startedAt;
    private final Map<String, Instant> applied = new ConcurrentHashMap<>();

    public BreakerResets(Instant startedAt) {
        this.startedAt = startedAt;
    }

    /** @return true when {@code reset} is to be applied now (and it is remembered as the last one applied) */
    public boolean accept(String provider, BreakerReset reset) {
        if (provider == null || reset == null || reset.requestedAt() == null || !reset.requestedAt().isAfter(startedAt)) {
            return false;
        }
        Instant at = reset.requestedAt();
        boolean[] accepted = {false};
        applied.compute(provider, (p, last) -> {
            if (last == null || at.isAfter(last)) {
                accepted[0] = true;
                return at;
            }
            return last;
        });
        return accepted[0];
    }
}
