package io.aigateway.adapter.provider.wire;

import io.aigateway.adapter.provider.HealthResult;
import io.aigateway.adapter.provider.transport.ProbeResult;
import io.aigateway.contracts.error.ErrorClass;

import java.time.Instant;

/** How a provider's answer to a health probe reads (the probe got an answer: no transport failure). */
@FunctionalInterface
public interface HealthReading {

    /** Healthy on 2xx, else the status' error class. */
    HealthReading STANDARD = (providerId, p) -> {
        boolean ok = p.ok();
        return new HealthResult(providerId, ok, Instant.now(), p.latencyMs(),
                ok ? "HTTP " + p.status() : ErrorClass.fromHttpStatus(p.status()) + ": HTTP " + p.status());
    };

    HealthResult read(String providerId, ProbeResult probe);
}
