package io.aigateway.adapter.provider.hf;

import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.wire.ModelDirectory;
import io.aigateway.contracts.catalog.Cost;
import io.aigateway.contracts.catalog.ModelInfo;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/**
 * The Hugging Face router's models: a model id may carry a routing policy suffix ({@code :fastest},
 * {@code :cheapest}, {@code :preferred}) or a provider ({@code :together}); it is passed through unchanged,
 * and a suffixed id not in the catalog resolves to the catalog entry of its base id (same prices).
 */
final class RouterModels implements ModelDirectory {

    private static final Set<String> POLICIES = Set.of("fastest", "cheapest", "preferred");

    private final ProviderSettings settings;

    RouterModels(ProviderSettings settings) {
        this.settings = settings;
    }

    @Override
    public List<ModelInfo> models() {
        return settings.models();
    }

    @Override
    public ModelInfo model(String modelId) {
        ModelInfo exact = settings.model(modelId);
        if (exact != null || modelId == null) {
            return exact;
        }
        int colon = modelId.lastIndexOf(':');
        if (colon <= 0 || colon == modelId.length() - 1) {
            return null;
        }
        String suffix = modelId.substring(colon + 1);
        ModelInfo base = settings.model(modelId.substring(0, colon));
        if (base == null || !(POLICIES.contains(suffix) || suffix.matches("[a-z0-9-]+"))) {
            return null;
        }
        return new ModelInfo(modelId, base.displayName() + " (" + suffix + ")", base.contextWindow(),
                base.promptPricePer1k(), base.completionPricePer1k(), base.qualityScore(), base.capabilities());
    }

    @Override
    public BigDecimal cost(ModelInfo model, int promptTokens, int completionTokens) {
        return Cost.of(promptTokens, completionTokens, model);
    }
}
