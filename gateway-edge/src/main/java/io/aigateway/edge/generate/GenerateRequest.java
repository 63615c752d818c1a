package io.aigateway.edge.generate;

import io.aigateway.contracts.internal.RoutePolicy;
import io.aigateway.contracts.openai.ChatCompletionRequest;

/**
 * A validated native request: the OpenAI chat request routing receives, and the controls that travel as headers
 * ({@code context} → {@code X-Aigw-Context}, {@code policy} → {@code X-Aigw-Policy}, {@code useCache: false} →
 * {@code Cache-Control: no-cache, no-store}); null when not given.
 */
public record GenerateRequest(ChatCompletionRequest chat, boolean stream, String context, RoutePolicy policy,
                              boolean useCache) {
}
