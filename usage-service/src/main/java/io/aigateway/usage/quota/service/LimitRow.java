package io.aigateway.usage.quota.service;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * One limited window × metric of a subject: the limit, what is used and reserved in the current window (Redis
 * counters), what remains ({@code max(0, limit − used − reserved)}) and when the window ends. Requests and tokens
 * are JSON numbers; spend is a decimal string in USD.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LimitRow(String window, String metric, Object limit, Object used, Object reserved, Object remaining,
                       Instant resetsAt) {
}
