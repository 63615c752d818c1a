package io.aigateway.contracts.usage;

import java.math.BigDecimal;

/**
 * Data of the {@code event: aigw-usage} that adapter-service sends at the end of a stream: what the
 * stream cost. Named events never leave routing-service.
 */
public record StreamUsage(int promptTokens, int completionTokens, BigDecimal costUsd, boolean usageEstimated,
                          Long ttftMs) {
}
