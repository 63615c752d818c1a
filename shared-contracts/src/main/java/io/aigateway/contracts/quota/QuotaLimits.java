package io.aigateway.contracts.quota;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;

/**
 * The limits of a tier, a user's overrides or a key; each optional (null = unlimited, or "not overridden" for a
 * user's overrides). Money as decimal strings in JSON ({@code "spendUsdPerDay":"5.00"}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuotaLimits(Long requestsPerMinute, Long tokensPerMinute, Long requestsPerDay, Long tokensPerDay,
                          Long tokensPerMonth,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal spendUsdPerDay,
                          @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal spendUsdPerMonth) {

    public static final QuotaLimits NONE = new QuotaLimits(null, null, null, null, null, null, null);

    /** These limits with every non-null value of {@code overrides} put over them. */
    public QuotaLimits overlay(QuotaLimits overrides) {
        if (overrides == null) {
            return this;
        }
        return new QuotaLimits(
                pick(overrides.requestsPerMinute, requestsPerMinute), pick(overrides.tokensPerMinute, tokensPerMinute),
                pick(overrides.requestsPerDay, requestsPerDay), pick(overrides.tokensPerDay, tokensPerDay),
                pick(overrides.tokensPerMonth, tokensPerMonth), pick(overrides.spendUsdPerDay, spendUsdPerDay),
                pick(overrides.spendUsdPerMonth, spendUsdPerMonth));
    }

    @JsonIgnore
    public boolean isEmpty() {
        return this.equals(NONE);
    }

    /** The value of one window × metric, or null (unlimited; also for combinations no field exists for). */
    public Number get(QuotaKeys.Window w, QuotaKeys.Metric m) {
        return switch (w) {
            case MINUTE -> switch (m) {
                case REQUESTS -> requestsPerMinute;
                case TOKENS -> tokensPerMinute;
                case SPEND -> null;
            };
            case DAY -> switch (m) {
                case REQUESTS -> requestsPerDay;
                case TOKENS -> tokensPerDay;
                case SPEND -> spendUsdPerDay;
            };
            case MONTH -> switch (m) {
                case REQUESTS -> null;
                case TOKENS -> tokensPerMonth;
                case SPEND -> spendUsdPerMonth;
            };
        };
    }

    /** USD → integer nano-USD as stored in Redis (rounded up: a limit is never loosened by rounding). */
    public static long nanoUsd(BigDecimal usd) {
        return usd.movePointRight(QuotaKeys.USD_SCALE).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    public static BigDecimal usd(long nanoUsd) {
        return BigDecimal.valueOf(nanoUsd, QuotaKeys.USD_SCALE).stripTrailingZeros();
    }

    private static <T> T pick(T override, T base) {
        return override != null ? override : base;
    }
}
