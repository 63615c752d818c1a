package io.aigateway.usage.analytics.service;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The one rendering of an amount of money, for JSON and CSV alike: the plain decimal string at the scale PostgreSQL
 * stores money with (numeric(20,10)), so JSON totals, CSV cells and row sums compare as equal strings. Sums of stored
 * amounts have scale 10 and pass unchanged; derived amounts (projection) are rounded to 10 places before.
 */
public final class Money {

    public static final int SCALE = 10;

    private Money() {
    }

    /** {@code null} is zero. Never rounds: an amount with more than 10 decimals is a bug and fails. */
    public static String format(BigDecimal amount) {
        BigDecimal v = amount == null ? BigDecimal.ZERO : amount;
        return v.setScale(SCALE, RoundingMode.UNNECESSARY).toPlainString();
    }

    /** A derived amount (an average, a projection) at money scale, half up. */
    public static BigDecimal round(BigDecimal amount) {
        return amount.setScale(SCALE, RoundingMode.HALF_UP);
    }
}
