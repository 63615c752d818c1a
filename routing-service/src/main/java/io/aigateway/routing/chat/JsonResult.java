package io.aigateway.routing.chat;

import io.vertx.core.buffer.Buffer;

/** The adapter's successful JSON answer: the body as received, and its cost headers (raw). */
public record JsonResult(Buffer body, String costUsd, String usageEstimated, String upstreamMs) {
}
