package io.aigateway.routing.route;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.contracts.catalog.ModelInfo;

/**
 * One (provider, model) the router may try.
 *
 * @param contextWindow the model's context window from the catalog, 0 when the catalog does not list it
 * @param info          the model's catalog entry (prices, quality, capabilities), null when not listed
 * @param priority      the provider's priority ({@code ProviderInfo.priority}): higher first among equals
 */
public record Candidate(String providerId, String modelId, int contextWindow, ModelInfo info, int priority) {

    public Candidate(String providerId, String modelId, int contextWindow) {
        this(providerId, modelId, contextWindow, null, 0);
    }

    /** Priority 0. */
    public Candidate(String providerId, String modelId, int contextWindow, ModelInfo info) {
        this(providerId, modelId, contextWindow, info, 0);
    }

    /** {@code provider/model}: the key of per-candidate statistics. */
    public String key() {
        return providerId + "/" + modelId;
    }

    /** {@link #key()} escaped for log lines: a pinned model id is the client's text. */
    @Override
    public String toString() {
        return LogSafe.escape(key());
    }
}
