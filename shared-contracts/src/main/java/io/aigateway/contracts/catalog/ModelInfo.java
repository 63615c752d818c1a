package io.aigateway.contracts.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigDecimal;

/** One model of a provider's catalog. Prices in USD per 1K tokens. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelInfo(String id, String displayName, int contextWindow, BigDecimal promptPricePer1k,
                        BigDecimal completionPricePer1k, double qualityScore, Capabilities capabilities) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Capabilities(boolean streaming, boolean tools, boolean images, boolean json) {
    }
}
