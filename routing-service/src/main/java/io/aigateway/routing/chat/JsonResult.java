package io.aigateway.routing.chat;

import io.vertx.core.buffer.Buffer;

/**
 * The adapter's successful JSON answer: the body as received, and its usage headers (raw; the token counts are
 * absent from an adapter older than {@code x-aigw-prompt-tokens} / {@code x-aigw-completion-tokens}).
 */
record JsonResult(Buffer body, String costUsd, String usageEstimated, String upstreamMs, String promptTokens,
                  String completionTokens) {
}
