package io.aigateway.usage.quota.repository;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's usage summed from usage_records (UTC calendar days and months), optionally of one of their keys: what the
 * public {@code GET /api/v1/ai/usage} shows. Every request is counted here (errors too); quota counters count only
 * charged ones.
 */
@ApplicationScoped
public class UsageSummaryRepository {

    public record Totals(long requests, long promptTokens, long completionTokens,
                         @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal costUsd,
                         @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal costSavedUsd,
                         long cachedRequests) {
        public static final Totals ZERO = new Totals(0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, 0);
    }

    public record ModelUsage(String provider, String model, long requests, long tokens,
                             @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal costUsd) {
    }

    public record Day(LocalDate date, long requests, long promptTokens, long completionTokens,
                      @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal costUsd,
                      @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal costSavedUsd,
                      long cachedRequests) {
    }

    public record TodayAndMonth(Totals today, Totals month) {
    }

    private static final String TOTALS = """
            count(*) FILTER (WHERE %1$s) AS %2$srequests,
            coalesce(sum(prompt_tokens) FILTER (WHERE %1$s), 0) AS %2$sprompt,
            coalesce(sum(completion_tokens) FILTER (WHERE %1$s), 0) AS %2$scompletion,
            coalesce(sum(cost_usd) FILTER (WHERE %1$s), 0) AS %2$scost,
            coalesce(sum(cost_saved_usd) FILTER (WHERE %1$s), 0) AS %2$ssaved,
            count(*) FILTER (WHERE %1$s AND cached) AS %2$scached""";

    /** $1 user, $2 key (null = every key), $3 month start, $4 day start. */
    private static final String TODAY_AND_MONTH = "SELECT " + TOTALS.formatted("occurred_at >= $4", "d_") + ", "
            + TOTALS.formatted("true", "m_") + " FROM usage.usage_records "
            + "WHERE user_id = $1 AND ($2::text IS NULL OR key_id = $2) AND occurred_at >= $3";

    private static final String BY_MODEL = "SELECT provider, model, count(*) AS requests, "
            + "coalesce(sum(total_tokens), 0) AS tokens, coalesce(sum(cost_usd), 0) AS cost "
            + "FROM usage.usage_records WHERE user_id = $1 AND ($2::text IS NULL OR key_id = $2) AND occurred_at >= $3 "
            + "GROUP BY provider, model ORDER BY cost DESC, requests DESC, provider, model";

    /** $3 from (inclusive), $5 to (exclusive). */
    private static final String DAYS = "SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, "
            + TOTALS.formatted("true", "") + " FROM usage.usage_records "
            + "WHERE user_id = $1 AND ($2::text IS NULL OR key_id = $2) AND occurred_at >= $3 AND occurred_at < $4 "
            + "GROUP BY 1 ORDER BY 1";

    private final Pool pool;

    public UsageSummaryRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<TodayAndMonth> todayAndMonth(String userId, String keyId, Instant monthStart, Instant dayStart) {
        return pool.preparedQuery(TODAY_AND_MONTH).execute(Tuple.of(userId, keyId, utc(monthStart), utc(dayStart)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new TodayAndMonth(totals(row, "d_"), totals(row, "m_"));
                });
    }

    public Uni<List<ModelUsage>> byModel(String userId, String keyId, Instant from) {
        return pool.preparedQuery(BY_MODEL).execute(Tuple.of(userId, keyId, utc(from))).map(rows -> {
            List<ModelUsage> out = new ArrayList<>(rows.size());
            for (Row row : rows) {
                out.add(new ModelUsage(row.getString("provider"), row.getString("model"), row.getLong("requests"),
                        row.getLong("tokens"), LimitColumns.money(row.getBigDecimal("cost"))));
            }
            return out;
        });
    }

    /** One entry per UTC day from {@code from} to {@code to} (inclusive), days without records as zeros. */
    public Uni<List<Day>> days(String userId, String keyId, LocalDate from, LocalDate to) {
        Instant start = from.atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant end = to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return pool.preparedQuery(DAYS).execute(Tuple.of(userId, keyId, utc(start), utc(end))).map(rows -> {
            List<Day> out = new ArrayList<>();
            var it = rows.iterator();
            Row next = it.hasNext() ? it.next() : null;
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                if (next != null && next.getLocalDate("day").equals(d)) {
                    Totals t = totals(next, "");
                    out.add(new Day(d, t.requests(), t.promptTokens(), t.completionTokens(), t.costUsd(),
                            t.costSavedUsd(), t.cachedRequests()));
                    next = it.hasNext() ? it.next() : null;
                } else {
                    out.add(new Day(d, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, 0));
                }
            }
            return out;
        });
    }

    private static Totals totals(Row row, String p) {
        return new Totals(row.getLong(p + "requests"), row.getLong(p + "prompt"), row.getLong(p + "completion"),
                LimitColumns.money(row.getBigDecimal(p + "cost")), LimitColumns.money(row.getBigDecimal(p + "saved")),
                row.getLong(p + "cached"));
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
