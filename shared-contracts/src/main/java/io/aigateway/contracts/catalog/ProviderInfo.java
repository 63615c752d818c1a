package io.aigateway.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * One provider as {@code GET /internal/v1/providers} lists it: identity, kind, state and catalog.
 * Never carries secrets (API keys) or full URLs with credentials.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProviderInfo(String id, String kind, String displayName, boolean enabled, boolean healthy,
                           List<ModelInfo> models) {

    public ProviderInfo {
        models = models == null ? List.of() : List.copyOf(models);
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
