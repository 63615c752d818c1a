package io.aigateway.contracts.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What admins changed on one provider (value of {@code provider:<id>} on {@code ai.config.v1}): the whole desired
 * override, not a delta; a null field keeps the configuration file's value. Never an API key or a URL: those stay in
 * the environment / secret store.
 *
 * @param enabled            the provider on or off (a provider without its API key stays off whatever this says)
 * @param priority           see {@link ProviderInfo#priority()}
 * @param qualityScore       every model's quality score, unless the model's own override sets one
 * @param models             per model id
 * @param timeouts           the adapter's upstream timeouts
 * @param poolMaxConnections the adapter's connection pool to this provider
 * @param rateLimitPerMinute the adapter sends at most this many requests per minute to the provider (0 = none); over
 *                           it a call fails as RATE_LIMITED at once, so routing falls back
 * @param revision           admin-service's revision of this override (increases by one per change)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProviderOverride(String provider, Boolean enabled, Integer priority, Double qualityScore,
                               Map<String, ModelOverride> models, Timeouts timeouts, Integer poolMaxConnections,
                               Integer rateLimitPerMinute, long revision, Instant updatedAt, String updatedBy) {

    public ProviderOverride {
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    /** Per-model override; a null field keeps the file's value. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ModelOverride(Boolean enabled, BigDecimal promptPricePer1k, BigDecimal completionPricePer1k,
                                Integer contextWindow, Double qualityScore) {
    }

    /** Upstream timeouts in milliseconds; a null field keeps the file's value. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Timeouts(Long connectMs, Long firstByteMs, Long betweenChunksMs, Long totalMs) {
    }

    /** The model's override, or null. */
    public ModelOverride model(String modelId) {
        return models.get(modelId);
    }

    /**
     * This override on a catalog entry as another service sees it (routing over adapter's list): catalog fields
     * (priority, per-model enabled, prices, context window, quality) are set from the override; {@code enabled} can
     * only turn the provider off here, since only adapter knows whether it can be turned on (API key). Applying it
     * to an entry that already carries it changes nothing.
     */
    public ProviderInfo applyTo(ProviderInfo base) {
        boolean on = base.enabled() && (enabled == null || enabled);
        return new ProviderInfo(base.id(), base.kind(), base.displayName(), on, base.healthy(),
                applyTo(base.models()), priority != null ? priority : base.priority());
    }

    /** Per-model fields (and the provider-wide quality score) applied to a model list. */
    public List<ModelInfo> applyTo(List<ModelInfo> base) {
        List<ModelInfo> out = new ArrayList<>(base.size());
        for (ModelInfo m : base) {
            out.add(applyTo(m));
        }
        return out;
    }

    public ModelInfo applyTo(ModelInfo m) {
        ModelOverride o = models.get(m.id());
        double quality = o != null && o.qualityScore() != null ? o.qualityScore()
                : qualityScore != null ? qualityScore : m.qualityScore();
        if (o == null) {
            return qualityScore == null ? m : new ModelInfo(m.id(), m.displayName(), m.contextWindow(), m.promptPricePer1k(),
                    m.completionPricePer1k(), quality, m.capabilities(), m.isEnabled());
        }
        return new ModelInfo(m.id(), m.displayName(),
                o.contextWindow() != null ? o.contextWindow() : m.contextWindow(),
                o.promptPricePer1k() != null ? o.promptPricePer1k() : m.promptPricePer1k(),
                o.completionPricePer1k() != null ? o.completionPricePer1k() : m.completionPricePer1k(),
                quality, m.capabilities(),
                o.enabled() != null ? o.enabled() : m.isEnabled());
    }
}
