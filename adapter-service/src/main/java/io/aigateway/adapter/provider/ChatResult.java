package io.aigateway.adapter.provider;

import io.aigateway.contracts.openai.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * A successful one-shot answer.
 *
 * @param body           the OpenAI {@code chat.completion} body, byte for byte as relayed
 * @param usage          counted by the provider, or estimated when {@code usageEstimated}
 * @param upstreamMs     time from sending the request to the whole body
 */
public record ChatResult(Buffer body, Usage usage, boolean usageEstimated, long upstreamMs) {
}
