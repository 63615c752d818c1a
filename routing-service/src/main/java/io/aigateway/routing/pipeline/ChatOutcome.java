package io.aigateway.routing.pipeline;

import java.math.BigDecimal;

/** Who answered and what it cost: what the usage event and the response cache need of a successful answer. */
public record ChatOutcome(String provider, String model, int promptTokens, int completionTokens, boolean usageEstimated,
                          BigDecimal costUsd) {
}
