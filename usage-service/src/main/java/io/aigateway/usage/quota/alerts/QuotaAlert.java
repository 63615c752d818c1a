package io.aigateway.usage.quota.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.UUID;

/**
 * One threshold alert on {@code ai.alerts.v1} (and the webhook): a subject's day or month budget reached
 * {@code threshold} % (80 or 100). Exactly one of {@code userId}, {@code keyId}. Requests and tokens are numbers,
 * spend a decimal string in USD. {@code type} is {@value #TYPE} (provider alerts on the same topic have
 * {@code provider_unhealthy}); alerts produced before it existed have none, and are read as quota alerts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuotaAlert(UUID alertId, String type, Instant occurredAt, String userId, String keyId, String tier,
                         String window, String windowId, String metric, int threshold, Object limit, Object used,
                         Instant resetsAt) {

    public static final String TYPE = "quota_threshold";
}
