package io.aigateway.adapter.provider.wire;

import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.contracts.catalog.Cost;
import io.aigateway.contracts.catalog.ModelInfo;

import java.math.BigDecimal;
import java.util.List;

/** The configured catalog as is, priced from it (or free: a free-tier provider). */
public final class ConfiguredModels implements ModelDirectory {

    private final ProviderSettings settings;
    private final boolean free;

    public ConfiguredModels(ProviderSettings settings, boolean free) {
        this.settings = settings;
        this.free = free;
    }

    public ConfiguredModels(ProviderSettings settings) {
        this(settings, false);
    }

    @Override
    public List<ModelInfo> models() {
        return settings.models();
    }

    @Override
    public ModelInfo model(String modelId) {
        return settings.model(modelId);
    }

    @Override
    public BigDecimal cost(ModelInfo model, int promptTokens, int completionTokens) {
        return free ? Cost.of(promptTokens, completionTokens, BigDecimal.ZERO, BigDecimal.ZERO)
                : Cost.of(promptTokens, completionTokens, model);
    }
}
