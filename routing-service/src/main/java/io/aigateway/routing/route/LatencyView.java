package io.aigateway.routing.route;

/** Recent-weighted latency per candidate, as the latency policy reads it (never blocks). */
public interface LatencyView {

    /** @return the EWMA latency in ms of {@code provider/model}, or a negative value when unknown */
    double latencyMs(String candidateKey);
}
