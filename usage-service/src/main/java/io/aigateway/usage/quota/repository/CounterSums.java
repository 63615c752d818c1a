package io.aigateway.usage.quota.repository;

import io.aigateway.contracts.quota.QuotaKeys.Window;
import io.aigateway.contracts.quota.QuotaLimits;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the quota counters of the current minute, day and month should hold, summed from usage_records: one grouped
 * query per subject kind (users, keys), never one per subject. A window counts the records from its start or from
 * the subject's latest admin reset of that window, whichever is later. A request is charged when it succeeded
 * (SUCCESS, PARTIAL) or used tokens; answers from the response cache count no tokens unless configured.
 */
@ApplicationScoped
public class CounterSums {

    /** Used amounts of one window: requests, tokens and nano-USD (the units of the Redis counter fields). */
    public record Used(long requests, long tokens, long nanoUsd) {
        public static final Used ZERO = new Used(0, 0, 0);

        public boolean isZero() {
            return requests == 0 && tokens == 0 && nanoUsd == 0;
        }
    }

    /** The three windows of one subject, by {@link Window#ordinal()}. */
    public record Windows(Used minute, Used day, Used month) {
        public Used get(Window w) {
            return switch (w) {
                case MINUTE -> minute;
                case DAY -> day;
                case MONTH -> month;
            };
        }
    }

    private static final String SUMS = """
            SELECT r.id,
              count(*) FILTER (WHERE r.charged AND r.occurred_at >= greatest($1, qm.reset_at)) AS m_req,
              coalesce(sum(r.tok) FILTER (WHERE r.occurred_at >= greatest($1, qm.reset_at)), 0) AS m_tok,
              coalesce(sum(r.cost_usd) FILTER (WHERE r.occurred_at >= greatest($1, qm.reset_at)), 0) AS m_usd,
              count(*) FILTER (WHERE r.charged AND r.occurred_at >= greatest($2, qd.reset_at)) AS d_req,
              coalesce(sum(r.tok) FILTER (WHERE r.occurred_at >= greatest($2, qd.reset_at)), 0) AS d_tok,
              coalesce(sum(r.cost_usd) FILTER (WHERE r.occurred_at >= greatest($2, qd.reset_at)), 0) AS d_usd,
              count(*) FILTER (WHERE r.charged AND r.occurred_at >= greatest($3, qmo.reset_at)) AS mo_req,
              coalesce(sum(r.tok) FILTER (WHERE r.occurred_at >= greatest($3, qmo.reset_at)), 0) AS mo_tok,
              coalesce(sum(r.cost_usd) FILTER (WHERE r.occurred_at >= greatest($3, qmo.reset_at)), 0) AS mo_usd
            FROM (SELECT %1$s AS id, occurred_at, cost_usd,
                         (outcome IN ('SUCCESS', 'PARTIAL') OR total_tokens > 0) AS charged,
                         CASE WHEN cached AND NOT $4 THEN 0 ELSE total_tokens END::bigint AS tok
                  FROM usage.usage_records
                  WHERE occurred_at >= $3 AND %1$s IS NOT NULL %2$s) r
            LEFT JOIN usage.quota_resets qm ON qm.subject = '%3$s:{' || r.id || '}' AND qm."window" = 'minute'
            LEFT JOIN usage.quota_resets qd ON qd.subject = '%3$s:{' || r.id || '}' AND qd."window" = 'day'
            LEFT JOIN usage.quota_resets qmo ON qmo.subject = '%3$s:{' || r.id || '}' AND qmo."window" = 'month'
            GROUP BY r.id""";

    private static final String ALL_USERS = SUMS.formatted("user_id", "", "u");
    private static final String SOME_USERS = SUMS.formatted("user_id", "AND user_id = ANY($5)", "u");
    private static final String ALL_KEYS = SUMS.formatted("key_id",
            "AND key_id IN (SELECT key_id FROM usage.quota_keys)", "k");
    private static final String SOME_KEYS = SUMS.formatted("key_id", "AND key_id = ANY($5)", "k");

    private final Pool pool;

    public CounterSums(Pool pool) {
        this.pool = pool;
    }

    /** Every user with records this month (by user id). */
    public Uni<Map<String, Windows>> users(Instant now, boolean cacheHitTokens) {
        return run(ALL_USERS, args(now, cacheHitTokens));
    }

    public Uni<Map<String, Windows>> users(Instant now, boolean cacheHitTokens, List<String> userIds) {
        return run(SOME_USERS, args(now, cacheHitTokens).addValue(userIds.toArray(String[]::new)));
    }

    /** Every key with limits and records this month (by key id). */
    public Uni<Map<String, Windows>> keys(Instant now, boolean cacheHitTokens) {
        return run(ALL_KEYS, args(now, cacheHitTokens));
    }

    public Uni<Map<String, Windows>> keys(Instant now, boolean cacheHitTokens, List<String> keyIds) {
        return run(SOME_KEYS, args(now, cacheHitTokens).addValue(keyIds.toArray(String[]::new)));
    }

    private static Tuple args(Instant now, boolean cacheHitTokens) {
        return Tuple.of(utc(Window.MINUTE.start(now)), utc(Window.DAY.start(now)), utc(Window.MONTH.start(now)),
                cacheHitTokens);
    }

    private Uni<Map<String, Windows>> run(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            Map<String, Windows> out = new HashMap<>();
            for (Row row : rows) {
                out.put(row.getString("id"), new Windows(used(row, "m_"), used(row, "d_"), used(row, "mo_")));
            }
            return out;
        });
    }

    private static Used used(Row row, String p) {
        BigDecimal usd = row.getBigDecimal(p + "usd");
        return new Used(row.getLong(p + "req"), row.getLong(p + "tok"), QuotaLimits.nanoUsd(usd));
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
