package io.aigateway.adapter.provider;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.vertx.core.buffer.Buffer;

/**
 * One chat call to a provider.
 *
 * @param rawBody the body as routing sent it (forwarded unchanged when the adapter needs no change)
 */
public record ChatCall(String requestId, ModelInfo model, ChatCompletionRequest request, Buffer rawBody) {
}
