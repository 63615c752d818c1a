package io.aigateway.adapter.provider;

import java.time.Instant;

/**
 * One health probe's outcome. {@code checkedAt} null means "never checked" (counts as healthy).
 */
public record HealthResult(String id, boolean healthy, Instant checkedAt, Long latencyMs, String detail) {

    public static HealthResult unknown(String id) {
        return new HealthResult(id, true, null, null, "not checked yet");
    }
}
