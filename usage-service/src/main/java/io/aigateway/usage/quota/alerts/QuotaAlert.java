package io.aigateway.usage.quota.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.UUID;

/**
 * One threshold alert on {@code ai.alerts.v1} (and the webhook): a subject's day or month budget reached
 * {@code threshold} % (80 or 100). Exactly one of {@code userId}, {@code keyId}. Requests and tokens are numbers,
 * spend a decimal string in USD.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuotaAlert(UUID alertId, Instant occurredAt, String userId, String keyId, String tier, String window,
                         String windowId, String metric, int threshold, Object limit, Object used, Instant resetsAt) {
}
