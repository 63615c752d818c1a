package io.aigateway.adapter.provider;

import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.contracts.catalog.ModelInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One provider's resolved configuration (catalog entry plus connection settings). Holds the API key:
 * {@link #toString()} never prints it, and nothing serialises this type.
 */
public final class ProviderSettings {

    private final String id;
    private final String kind;
    private final String displayName;
    private final String baseUrl;
    private final String apiKey;
    private final boolean enabled;
    private final String disabledReason;
    private final List<ModelInfo> models;
    private final Map<String, ModelInfo> modelsById;
    private final AigwConfig.Pool pool;
    private final AigwConfig.Timeouts timeouts;
    private final AigwConfig.ProviderConfig config;

    public ProviderSettings(String id, String kind, String displayName, String baseUrl, String apiKey,
                            boolean enabled, String disabledReason, List<ModelInfo> models,
                            AigwConfig.Pool pool, AigwConfig.Timeouts timeouts) {
        this(id, kind, displayName, baseUrl, apiKey, enabled, disabledReason, models, pool, timeouts, null);
    }

    public ProviderSettings(String id, String kind, String displayName, String baseUrl, String apiKey,
                            boolean enabled, String disabledReason, List<ModelInfo> models,
                            AigwConfig.Pool pool, AigwConfig.Timeouts timeouts, AigwConfig.ProviderConfig config) {
        this.config = config;
        this.id = id;
        this.kind = kind;
        this.displayName = displayName;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
        this.enabled = enabled;
        this.disabledReason = disabledReason;
        this.models = List.copyOf(models);
        Map<String, ModelInfo> byId = new LinkedHashMap<>();
        for (ModelInfo m : models) {
            byId.put(m.id(), m);
        }
        this.modelsById = Map.copyOf(byId);
        this.pool = pool;
        this.timeouts = timeouts;
    }

    public String id() {
        return id;
    }

    public String kind() {
        return kind;
    }

    public String displayName() {
        return displayName;
    }

    /** Base URL without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The secret, or null; never log or return it. */
    public String apiKey() {
        return apiKey;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Why the provider is disabled, null when enabled. */
    public String disabledReason() {
        return disabledReason;
    }

    public List<ModelInfo> models() {
        return models;
    }

    public ModelInfo model(String modelId) {
        return modelId == null ? null : modelsById.get(modelId);
    }

    public AigwConfig.Pool pool() {
        return pool;
    }

    public AigwConfig.Timeouts timeouts() {
        return timeouts;
    }

    /** The provider's raw configuration (kind-specific settings such as chat templates); null in unit tests. */
    public AigwConfig.ProviderConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "ProviderSettings{id=" + id + ", kind=" + kind + ", enabled=" + enabled + ", apiKey="
                + (apiKey == null ? "none" : "***") + ", models=" + modelsById.keySet() + "}";
    }
}
