package io.aigateway.routing.catalog;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An immutable snapshot of adapter-service's provider catalog, in catalog order. */
public record Catalog(List<ProviderInfo> providers, Map<String, ProviderInfo> byId, Instant loadedAt) {

    public static Catalog of(List<ProviderInfo> providers, Instant loadedAt) {
        Map<String, ProviderInfo> byId = new LinkedHashMap<>();
        for (ProviderInfo p : providers) {
            if (p != null && p.id() != null) {
                byId.putIfAbsent(p.id(), p);
            }
        }
        return new Catalog(List.copyOf(byId.values()), Map.copyOf(byId), loadedAt);
    }

    public ProviderInfo provider(String id) {
        return byId.get(id);
    }

    public static boolean available(ProviderInfo p) {
        return p.enabled() && p.healthy();
    }

    /**
     * The provider is available and the model is not turned off. A model the catalog does not list counts as on:
     * a pinned or grouped model id is passed to the provider as is.
     */
    public static boolean available(ProviderInfo p, String modelId) {
        if (!available(p)) {
            return false;
        }
        ModelInfo m = p.model(modelId);
        return m == null || m.isEnabled();
    }
}
