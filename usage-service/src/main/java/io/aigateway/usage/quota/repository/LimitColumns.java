package io.aigateway.usage.quota.repository;

import io.aigateway.contracts.quota.QuotaLimits;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;

import java.math.BigDecimal;

/** The seven limit columns shared by quota_tiers, quota_users and quota_keys, and their mapping to QuotaLimits. */
final class LimitColumns {

    static final String NAMES = "requests_per_minute, tokens_per_minute, requests_per_day, tokens_per_day, "
            + "tokens_per_month, spend_usd_per_day, spend_usd_per_month";

    /** {@code col = EXCLUDED.col, ...} for an upsert. */
    static final String EXCLUDED = "requests_per_minute = EXCLUDED.requests_per_minute, "
            + "tokens_per_minute = EXCLUDED.tokens_per_minute, requests_per_day = EXCLUDED.requests_per_day, "
            + "tokens_per_day = EXCLUDED.tokens_per_day, tokens_per_month = EXCLUDED.tokens_per_month, "
            + "spend_usd_per_day = EXCLUDED.spend_usd_per_day, spend_usd_per_month = EXCLUDED.spend_usd_per_month";

    private LimitColumns() {
    }

    static QuotaLimits read(Row row) {
        return new QuotaLimits(row.getLong("requests_per_minute"), row.getLong("tokens_per_minute"),
                row.getLong("requests_per_day"), row.getLong("tokens_per_day"), row.getLong("tokens_per_month"),
                money(row.getBigDecimal("spend_usd_per_day")), money(row.getBigDecimal("spend_usd_per_month")));
    }

    static Tuple append(Tuple t, QuotaLimits l) {
        return t.addValue(l.requestsPerMinute()).addValue(l.tokensPerMinute()).addValue(l.requestsPerDay())
                .addValue(l.tokensPerDay()).addValue(l.tokensPerMonth())
                .addValue(l.spendUsdPerDay() == null ? null : Numeric.create(l.spendUsdPerDay()))
                .addValue(l.spendUsdPerMonth() == null ? null : Numeric.create(l.spendUsdPerMonth()));
    }

    /** numeric(20,10) comes back with scale 10: drop the padding zeros ("5.0000000000" → "5"). */
    static BigDecimal money(BigDecimal v) {
        if (v == null) {
            return null;
        }
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
