package io.aigateway.contracts.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Cost arithmetic, in one place: tokens × price per 1K tokens, exact decimal, scale 10 (numeric(20,10)). */
public final class Cost {

    public static final int SCALE = 10;
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private Cost() {
    }

    public static BigDecimal of(int promptTokens, int completionTokens, BigDecimal promptPer1k, BigDecimal completionPer1k) {
        BigDecimal p = promptPer1k == null ? BigDecimal.ZERO : promptPer1k;
        BigDecimal c = completionPer1k == null ? BigDecimal.ZERO : completionPer1k;
        return p.multiply(BigDecimal.valueOf(promptTokens))
                .add(c.multiply(BigDecimal.valueOf(completionTokens)))
                .divide(THOUSAND, SCALE, RoundingMode.HALF_UP);
    }

    public static BigDecimal of(int promptTokens, int completionTokens, ModelInfo model) {
        return of(promptTokens, completionTokens, model.promptPricePer1k(), model.completionPricePer1k());
    }
}
