package io.aigateway.adapter.provider.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.openai.OpenAiCompatibleAdapter;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.aigateway.contracts.catalog.ModelInfo;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Set;

/**
 * Kind {@code hf-router}: Hugging Face Inference Providers router ({@code https://router.huggingface.co/v1},
 * OpenAI format, Bearer {@code hf_…}). A model id may carry a routing policy suffix ({@code :fastest},
 * {@code :cheapest}, {@code :preferred}) or a provider ({@code :together}); it is passed through unchanged,
 * and a suffixed id not in the catalog resolves to the catalog entry of its base id (same prices).
 */
public class HfRouterAdapter extends OpenAiCompatibleAdapter {

    private static final Set<String> POLICIES = Set.of("fastest", "cheapest", "preferred");

    public HfRouterAdapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                           Duration healthTimeout) {
        super(settings, vertx, mapper, tokens, healthTimeout);
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
}
