package io.aigateway.usage.quota.service;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.quota.QuotaKeys.Metric;
import io.aigateway.contracts.quota.QuotaKeys.Window;
import io.aigateway.contracts.quota.QuotaLimits;
import io.aigateway.usage.quota.redis.QuotaRedis;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A subject's limits next to its live Redis counters (what the edge enforces against), as {@link LimitRow}s.
 * Redis unreachable: 503 (the counters are the only live truth; PostgreSQL lags them).
 */
@ApplicationScoped
public class CounterView {

    private final QuotaRedis redis;

    public CounterView(QuotaRedis redis) {
        this.redis = redis;
    }

    public Uni<List<LimitRow>> rows(String subject, QuotaLimits limits) {
        Instant now = Instant.now();
        return redis.hash(QuotaKeys.counter(redis.prefix(), subject, Window.MINUTE, now))
                .onItem().transformToUni(m -> redis.hash(QuotaKeys.counter(redis.prefix(), subject, Window.DAY, now))
                        .onItem().transformToUni(d -> redis.hash(QuotaKeys.counter(redis.prefix(), subject, Window.MONTH, now))
                                .onItem().transformToUni(mo -> redis.hash(QuotaKeys.reserved(redis.prefix(), subject))
                                        .map(r -> rows(limits, now, List.of(m, d, mo), r)))))
                .onFailure().transform(e -> new ApiError(503, "api_error", "service_unavailable", null,
                        "Quota counters are unavailable right now; try again shortly.", Map.of("retry-after", "5"))
                        .exception());
    }

    /** @param reserved the subject's reserved amounts, counted against every window (as reserve.lua does) */
    static List<LimitRow> rows(QuotaLimits limits, Instant now, List<Map<String, String>> counters,
                               Map<String, String> reserved) {
        List<LimitRow> rows = new ArrayList<>();
        for (Window w : Window.values()) {
            Map<String, String> c = counters.get(w.ordinal());
            for (Metric m : Metric.values()) {
                Number limit = limits.get(w, m);
                if (limit == null) {
                    continue;
                }
                long used = Math.max(0, parse(c.get(m.code)));
                long held = Math.max(0, parse(reserved.get(m.reservedField())));
                if (m == Metric.SPEND) {
                    long limitNano = QuotaLimits.nanoUsd((BigDecimal) limit);
                    long remaining = Math.max(0, limitNano - used - held);
                    rows.add(new LimitRow(w.wire, m.wire, plain((BigDecimal) limit), usd(used), usd(held),
                            usd(remaining), w.end(now)));
                } else {
                    long l = limit.longValue();
                    rows.add(new LimitRow(w.wire, m.wire, l, used, held, Math.max(0, l - used - held),
                            w.end(now)));
                }
            }
        }
        return rows;
    }

    static String usd(long nano) {
        return plain(QuotaLimits.usd(nano));
    }

    static String plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }

    private static long parse(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
