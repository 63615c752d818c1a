package io.aigateway.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * One provider as {@code GET /internal/v1/providers} lists it: identity, kind, state and catalog.
 * Never carries secrets (API keys) or full URLs with credentials. {@code priority}: among candidates that a policy
 * ranks equal, and in the configured (fallback) order, a higher priority comes first; absent in JSON means 0.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProviderInfo(String id, String kind, String displayName, boolean enabled, boolean healthy,
                           List<ModelInfo> models, Integer priority) {

    public ProviderInfo {
        models = models == null ? List.of() : List.copyOf(models);
        priority = priority == null ? 0 : priority;
    }

    /** Priority 0. */
    public ProviderInfo(String id, String kind, String displayName, boolean enabled, boolean healthy, List<ModelInfo> models) {
        this(id, kind, displayName, enabled, healthy, models, 0);
    }

    public ModelInfo model(String modelId) {
        for (ModelInfo m : models) {
            if (m.id().equals(modelId)) {
                return m;
            }
        }
        return null;
    }
}
