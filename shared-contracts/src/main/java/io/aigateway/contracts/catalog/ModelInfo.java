package io.aigateway.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigDecimal;

/**
 * One model of a provider's catalog. Prices in USD per 1K tokens. {@code enabled} false: listed (admins see it) but
 * never routed to (an admin turned the model off on {@code ai.config.v1}); absent in JSON means enabled.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelInfo(String id, String displayName, int contextWindow, BigDecimal promptPricePer1k,
                        BigDecimal completionPricePer1k, double qualityScore, Capabilities capabilities, Boolean enabled) {

    public ModelInfo {
        enabled = enabled == null ? Boolean.TRUE : enabled;
    }

    /** An enabled model. */
    public ModelInfo(String id, String displayName, int contextWindow, BigDecimal promptPricePer1k,
                     BigDecimal completionPricePer1k, double qualityScore, Capabilities capabilities) {
        this(id, displayName, contextWindow, promptPricePer1k, completionPricePer1k, qualityScore, capabilities, true);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public ModelInfo withEnabled(boolean on) {
        return new ModelInfo(id, displayName, contextWindow, promptPricePer1k, completionPricePer1k, qualityScore, capabilities, on);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Capabilities(boolean streaming, boolean tools, boolean images, boolean json) {
    }
}
