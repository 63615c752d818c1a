package io.aigateway.usage.records.rest;

import io.aigateway.contracts.usage.UsageEvent;

import java.util.List;

/** {@code {"data":[…]}}: stored usage records, newest first, with the UsageEvent field names. */
public record UsagePage(List<UsageEvent> data) {
}
