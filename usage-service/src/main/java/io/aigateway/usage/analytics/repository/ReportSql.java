package io.aigateway.usage.analytics.repository;

import io.aigateway.usage.analytics.service.AnalyticsParams.Filters;
import io.aigateway.usage.analytics.service.GroupBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the aggregate report statement shared by analytics, costs (JSON and CSV) and the projection's totals.
 *
 * <p>Where the rows come from: when neither the grouping nor the filters need user or key, the whole hours of
 * [from, to) are read from the hourly rollup {@code usage.usage_hourly} and only the partial hours at the two edges
 * from {@code usage.usage_records} (index {@code usage_records_occurred_idx}), so the sums equal the raw sums exactly.
 * Otherwise every row comes from {@code usage.usage_records} (index {@code (user_id, occurred_at)} with a userId,
 * {@code (key_id, occurred_at)} with a keyId, else {@code (occurred_at)}).
 *
 * <p>Every group column is text with the "C" collation (day {@code 2026-12-03}, hour {@code 2026-12-03T10:00:00Z},
 * NULL as ''), so the order is stable and the keyset cursor is a plain row comparison.
 */
public final class ReportSql {

    /** Columns of one aggregate row after the group columns g0..gN-1. */
    static final String SUMS = "coalesce(sum(requests), 0)::int8 AS requests, coalesce(sum(errors), 0)::int8 AS errors, "
            + "coalesce(sum(cached_requests), 0)::int8 AS cached_requests, "
            + "coalesce(sum(prompt_tokens), 0)::int8 AS prompt_tokens, "
            + "coalesce(sum(completion_tokens), 0)::int8 AS completion_tokens, "
            + "coalesce(sum(cost_usd), 0) AS cost_usd, coalesce(sum(cost_saved_usd), 0) AS cost_saved_usd, "
            + "coalesce(sum(latency_ms_sum), 0)::int8 AS latency_ms_sum";

    private static final String RAW_COLUMNS = "occurred_at AS ts, provider, model, user_id, key_id, context, outcome, "
            + "1 AS requests, CASE WHEN outcome <> 'SUCCESS' THEN 1 ELSE 0 END AS errors, "
            + "CASE WHEN cached THEN 1 ELSE 0 END AS cached_requests, prompt_tokens, completion_tokens, cost_usd, "
            + "coalesce(cost_saved_usd, 0) AS cost_saved_usd, latency_ms AS latency_ms_sum";

    private static final String ROLLUP_COLUMNS = "hour AS ts, provider, model, NULL::text AS user_id, "
            + "NULL::text AS key_id, context, outcome, requests, errors, cached_requests, prompt_tokens, "
            + "completion_tokens, cost_usd, cost_saved_usd, latency_ms_sum";

    /** A statement and its arguments ($1.. in order). */
    public record Statement(String sql, List<Object> args) {
    }

    private ReportSql() {
    }

    public static String groupExpression(GroupBy g) {
        return switch (g) {
            case PROVIDER -> "coalesce(provider, '') COLLATE \"C\"";
            case MODEL -> "coalesce(model, '') COLLATE \"C\"";
            case USER -> "user_id COLLATE \"C\"";
            case KEY -> "coalesce(key_id, '') COLLATE \"C\"";
            case CONTEXT -> "coalesce(context, '') COLLATE \"C\"";
            case DAY -> "to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') COLLATE \"C\"";
            case HOUR -> "to_char(date_trunc('hour', ts AT TIME ZONE 'UTC'), 'YYYY-MM-DD\"T\"HH24\":00:00Z\"') COLLATE \"C\"";
        };
    }

    /** Whether [from, to) with this grouping and these filters is read from the rollup (whole hours) at all. */
    public static boolean usesRollup(Instant from, Instant to, List<GroupBy> groupBy, Filters filters) {
        if (filters.needsRawRows() || groupBy.stream().anyMatch(g -> !g.inRollup())) {
            return false;
        }
        return ceilHour(from).isBefore(floorHour(to));
    }

    static Instant floorHour(Instant t) {
        return t.truncatedTo(ChronoUnit.HOURS);
    }

    static Instant ceilHour(Instant t) {
        Instant f = floorHour(t);
        return f.equals(t) ? f : f.plus(1, ChronoUnit.HOURS);
    }

    /**
     * {@code SELECT g0.., sums FROM source [WHERE key > after] GROUP BY .. ORDER BY .. [LIMIT limit]}.
     * {@code after} (the cursor key) may be null; {@code limit} 0 = all rows.
     */
    public static Statement aggregate(Instant from, Instant to, List<GroupBy> groupBy, Filters filters,
                                      List<String> after, int limit) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < groupBy.size(); i++) {
            sql.append(groupExpression(groupBy.get(i))).append(" AS g").append(i).append(", ");
        }
        sql.append(SUMS).append(" FROM (").append(source(from, to, groupBy, filters, args)).append(") s");
        appendKeyset(sql, groupBy, after, args);
        appendGroupOrder(sql, groupBy);
        if (limit > 0) {
            sql.append(" LIMIT ").append(limit);
        }
        return new Statement(sql.toString(), args);
    }

    /**
     * The analytics page: {@link #aggregate} limited to {@code limit} rows, joined with the p95 latency of each
     * group computed from the raw rows of the whole range ({@code percentile_disc}, index
     * {@code usage_records_occurred_idx} or the userId/keyId one).
     */
    public static Statement analyticsPage(Instant from, Instant to, List<GroupBy> groupBy, Filters filters,
                                          List<String> after, int limit) {
        Statement agg = aggregate(from, to, groupBy, filters, after, limit);
        List<Object> args = new ArrayList<>(agg.args());
        StringBuilder pct = new StringBuilder("SELECT ");
        for (int i = 0; i < groupBy.size(); i++) {
            pct.append(groupExpression(groupBy.get(i))).append(" AS g").append(i).append(", ");
        }
        pct.append("percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95 FROM (SELECT occurred_at AS ts, "
                + "provider, model, user_id, key_id, context, latency_ms FROM usage.usage_records WHERE ");
        pct.append(rawWhere(from, to, filters, args)).append(") r");
        appendKeyset(pct, groupBy, after, args);
        if (!groupBy.isEmpty()) {
            pct.append(" GROUP BY ").append(positions(groupBy.size()));
        }
        StringBuilder sql = new StringBuilder("WITH agg AS (").append(agg.sql()).append("), pct AS (")
                .append(pct).append(") SELECT agg.*, pct.p95 FROM agg LEFT JOIN pct ON ");
        if (groupBy.isEmpty()) {
            sql.append("true");
        } else {
            for (int i = 0; i < groupBy.size(); i++) {
                sql.append(i > 0 ? " AND " : "").append("agg.g").append(i).append(" = pct.g").append(i);
            }
            sql.append(" ORDER BY ");
            for (int i = 0; i < groupBy.size(); i++) {
                sql.append(i > 0 ? ", " : "").append("agg.g").append(i);
            }
        }
        return new Statement(sql.toString(), args);
    }

    private static String source(Instant from, Instant to, List<GroupBy> groupBy, Filters filters, List<Object> args) {
        if (!usesRollup(from, to, groupBy, filters)) {
            return "SELECT " + RAW_COLUMNS + " FROM usage.usage_records WHERE " + rawWhere(from, to, filters, args);
        }
        Instant hFrom = ceilHour(from);
        Instant hTo = floorHour(to);
        StringBuilder b = new StringBuilder("SELECT ").append(ROLLUP_COLUMNS).append(" FROM usage.usage_hourly WHERE hour >= ")
                .append(arg(args, utc(hFrom))).append(" AND hour < ").append(arg(args, utc(hTo)));
        appendEquals(b, "provider", filters.provider(), args);
        appendEquals(b, "model", filters.model(), args);
        appendEquals(b, "context", filters.context(), args);
        appendEquals(b, "outcome", filters.outcome(), args);
        b.append(" UNION ALL SELECT ").append(RAW_COLUMNS).append(" FROM usage.usage_records WHERE ((occurred_at >= ")
                .append(arg(args, utc(from))).append(" AND occurred_at < ").append(arg(args, utc(hFrom)))
                .append(") OR (occurred_at >= ").append(arg(args, utc(hTo))).append(" AND occurred_at < ")
                .append(arg(args, utc(to))).append("))");
        appendRawFilters(b, filters, args);
        return b.toString();
    }

    static String rawWhere(Instant from, Instant to, Filters filters, List<Object> args) {
        StringBuilder b = new StringBuilder("occurred_at >= ").append(arg(args, utc(from)))
                .append(" AND occurred_at < ").append(arg(args, utc(to)));
        appendRawFilters(b, filters, args);
        return b.toString();
    }

    private static void appendRawFilters(StringBuilder b, Filters filters, List<Object> args) {
        appendEquals(b, "user_id", filters.userId(), args);
        appendEquals(b, "key_id", filters.keyId(), args);
        appendEquals(b, "provider", filters.provider(), args);
        appendEquals(b, "model", filters.model(), args);
        appendEquals(b, "context", filters.context(), args);
        appendEquals(b, "outcome", filters.outcome(), args);
    }

    private static void appendEquals(StringBuilder b, String column, String value, List<Object> args) {
        if (value != null) {
            b.append(" AND ").append(column).append(" = ").append(arg(args, value));
        }
    }

    private static void appendKeyset(StringBuilder sql, List<GroupBy> groupBy, List<String> after, List<Object> args) {
        if (after == null || groupBy.isEmpty()) {
            return;
        }
        sql.append(" WHERE (");
        for (int i = 0; i < groupBy.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(groupExpression(groupBy.get(i)));
        }
        sql.append(") > (");
        for (int i = 0; i < groupBy.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(arg(args, after.get(i))).append("::text");
        }
        sql.append(')');
    }

    private static void appendGroupOrder(StringBuilder sql, List<GroupBy> groupBy) {
        if (!groupBy.isEmpty()) {
            String p = positions(groupBy.size());
            sql.append(" GROUP BY ").append(p).append(" ORDER BY ").append(p);
        }
    }

    private static String positions(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            b.append(i > 1 ? ", " : "").append(i);
        }
        return b.toString();
    }

    private static String arg(List<Object> args, Object value) {
        args.add(value);
        return "$" + args.size();
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }
}
