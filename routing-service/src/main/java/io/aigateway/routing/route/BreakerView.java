package io.aigateway.routing.route;

/** Whether a provider's circuit currently lets calls through (closed, or open with its delay elapsed). */
@FunctionalInterface
public interface BreakerView {

    BreakerView ALL_CLOSED = provider -> true;

    boolean permits(String providerId);
}
