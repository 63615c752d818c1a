package io.aigateway.usage.analytics.repository;

import io.aigateway.usage.analytics.service.AnalyticsParams.Filters;
import io.aigateway.usage.analytics.service.GroupBy;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Aggregate reads of usage_records / usage_hourly (statements from {@link ReportSql}) and the metrics window. */
@ApplicationScoped
public class AnalyticsRepository {

    /** Rows a CSV export fetches from its PostgreSQL cursor at a time. */
    static final int STREAM_FETCH = 1000;

    /** One aggregate row: the group key (one string per groupBy, '' for NULL) and the sums. */
    public record Aggregate(List<String> key, long requests, long errors, long cachedRequests, long promptTokens,
                            long completionTokens, BigDecimal costUsd, BigDecimal costSavedUsd, long latencyMsSum,
                            Long p95LatencyMs) {
    }

    public record Percentiles(Long p50, Long p95, Long p99) {
    }

    public record WindowTotals(long requests, long errors, long cached, long fallbacks, long retries,
                               Percentiles latency, Percentiles ttft) {
    }

    public record ProviderModelTotals(String provider, String model, long requests, long errors, long promptTokens,
                                      long completionTokens, BigDecimal costUsd) {
    }

    /** Per provider/model performance of [from, to): see {@link #performanceByModel}. */
    public record ModelPerformance(String provider, String model, long requests, long successes, Long avgLatencyMs,
                                   Long p95LatencyMs, Long ttftMsP50) {
    }

    private static final String PERFORMANCE_BY_MODEL = "SELECT provider, model, count(*) AS requests, "
            + "count(*) FILTER (WHERE outcome = 'SUCCESS') AS successes, round(avg(latency_ms))::int8 AS avg_latency, "
            + "percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95_latency, "
            + "percentile_disc(0.5) WITHIN GROUP (ORDER BY ttft_ms) FILTER (WHERE streamed AND ttft_ms IS NOT NULL) AS ttft_p50 "
            + "FROM usage.usage_records WHERE occurred_at >= $1 AND occurred_at < $2 AND NOT cached "
            + "AND provider IS NOT NULL AND model IS NOT NULL "
            + "GROUP BY provider, model ORDER BY provider COLLATE \"C\", model COLLATE \"C\"";

    private static final String WINDOW_TOTALS = "SELECT count(*) AS requests, "
            + "count(*) FILTER (WHERE outcome <> 'SUCCESS') AS errors, count(*) FILTER (WHERE cached) AS cached, "
            + "count(*) FILTER (WHERE jsonb_array_length(attempts) > 1) AS fallbacks, "
            + "coalesce(sum(greatest(jsonb_array_length(attempts) - 1, 0)), 0)::int8 AS retries, "
            + "percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) AS latency, "
            + "percentile_disc(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY ttft_ms) FILTER (WHERE ttft_ms IS NOT NULL) AS ttft "
            + "FROM usage.usage_records WHERE occurred_at >= $1 AND occurred_at < $2";

    private static final String WINDOW_BY_MODEL = "SELECT provider, model, count(*) AS requests, "
            + "count(*) FILTER (WHERE outcome <> 'SUCCESS') AS errors, coalesce(sum(prompt_tokens), 0)::int8 AS prompt, "
            + "coalesce(sum(completion_tokens), 0)::int8 AS completion, coalesce(sum(cost_usd), 0) AS cost "
            + "FROM usage.usage_records WHERE occurred_at >= $1 AND occurred_at < $2 "
            + "GROUP BY provider, model ORDER BY provider COLLATE \"C\" NULLS FIRST, model COLLATE \"C\" NULLS FIRST";

    private final Pool pool;

    public AnalyticsRepository(Pool pool) {
        this.pool = pool;
    }

    /** One page of analytics rows (with p95), at most {@code limit}. */
    public Uni<List<Aggregate>> analyticsPage(Instant from, Instant to, List<GroupBy> groupBy, Filters filters,
                                              List<String> after, int limit) {
        return list(ReportSql.analyticsPage(from, to, groupBy, filters, after, limit), groupBy.size(), true);
    }

    /** Every aggregate row (no p95), in group order; {@code limit} 0 = all. */
    public Uni<List<Aggregate>> aggregate(Instant from, Instant to, List<GroupBy> groupBy, Filters filters,
                                          int limit) {
        return list(ReportSql.aggregate(from, to, groupBy, filters, null, limit), groupBy.size(), false);
    }

    /** The totals of [from, to) (one row). */
    public Uni<Aggregate> totals(Instant from, Instant to, Filters filters) {
        return aggregate(from, to, List.of(), filters, 0).map(rows -> rows.get(0));
    }

    /**
     * Every aggregate row, streamed from a PostgreSQL cursor ({@value #STREAM_FETCH} rows a fetch) inside a
     * read-only transaction on a connection of its own, released when the stream ends, fails or is cancelled.
     * Demand drives the fetches, so a slow reader holds at most a fetch or two in memory.
     */
    public Multi<Aggregate> stream(Instant from, Instant to, List<GroupBy> groupBy, Filters filters) {
        ReportSql.Statement st = ReportSql.aggregate(from, to, groupBy, filters, null, 0);
        int keys = groupBy.size();
        return Multi.createFrom().<Held, Row>resourceFromUni(
                        () -> pool.getConnection().flatMap(conn -> conn.begin()
                                .map(tx -> new Held(conn, tx))
                                .onFailure().call(conn::close)),
                        held -> held.conn().prepare(st.sql()).onItem().transformToMulti(ps ->
                                ps.createStream(STREAM_FETCH, Tuple.from(st.args())).toMulti()))
                .withFinalizer(AnalyticsRepository::release)
                .map(row -> aggregate(row, keys, false));
    }

    private record Held(SqlConnection conn, Transaction tx) {
    }

    /** Ends the read-only transaction (closing the cursor) and gives the connection back, whatever happens. */
    private static Uni<Void> release(Held held) {
        return held.tx().rollback().onTermination().call(() -> held.conn().close())
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    public Uni<WindowTotals> windowTotals(Instant from, Instant to) {
        return pool.preparedQuery(WINDOW_TOTALS).execute(Tuple.of(ReportSql.utc(from), ReportSql.utc(to)))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new WindowTotals(r.getLong("requests"), r.getLong("errors"), r.getLong("cached"),
                            r.getLong("fallbacks"), r.getLong("retries"),
                            percentiles(r.getArrayOfLongs("latency")), percentiles(r.getArrayOfLongs("ttft")));
                });
    }

    public Uni<List<ProviderModelTotals>> windowByModel(Instant from, Instant to) {
        return pool.preparedQuery(WINDOW_BY_MODEL).execute(Tuple.of(ReportSql.utc(from), ReportSql.utc(to)))
                .map(rows -> {
                    List<ProviderModelTotals> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new ProviderModelTotals(r.getString("provider"), r.getString("model"),
                                r.getLong("requests"), r.getLong("errors"), r.getLong("prompt"),
                                r.getLong("completion"), r.getBigDecimal("cost")));
                    }
                    return out;
                });
    }

    /**
     * Per provider/model of [from, to) from the raw rows (the occurred_at index): requests, successful ones, average
     * and p95 latency, and the median time to first token over streamed rows. Rows answered from the response cache
     * (they say nothing about the provider) and rows that never reached a provider are left out.
     */
    public Uni<List<ModelPerformance>> performanceByModel(Instant from, Instant to) {
        return pool.preparedQuery(PERFORMANCE_BY_MODEL).execute(Tuple.of(ReportSql.utc(from), ReportSql.utc(to)))
                .map(rows -> {
                    List<ModelPerformance> out = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        out.add(new ModelPerformance(r.getString("provider"), r.getString("model"),
                                r.getLong("requests"), r.getLong("successes"), r.getLong("avg_latency"),
                                r.getLong("p95_latency"), r.getLong("ttft_p50")));
                    }
                    return out;
                });
    }

    private Uni<List<Aggregate>> list(ReportSql.Statement st, int keys, boolean withP95) {
        return pool.preparedQuery(st.sql()).execute(Tuple.from(st.args())).map(rows -> {
            List<Aggregate> out = new ArrayList<>(rows.size());
            for (Row row : rows) {
                out.add(aggregate(row, keys, withP95));
            }
            return out;
        });
    }

    private static Aggregate aggregate(Row row, int keys, boolean withP95) {
        List<String> key = new ArrayList<>(keys);
        for (int i = 0; i < keys; i++) {
            key.add(row.getString(i));
        }
        return new Aggregate(key, row.getLong(keys), row.getLong(keys + 1), row.getLong(keys + 2),
                row.getLong(keys + 3), row.getLong(keys + 4), row.getBigDecimal(keys + 5),
                row.getBigDecimal(keys + 6), row.getLong(keys + 7), withP95 ? row.getLong(keys + 8) : null);
    }

    private static Percentiles percentiles(Long[] values) {
        if (values == null) {
            return new Percentiles(null, null, null);
        }
        return new Percentiles(values.length > 0 ? values[0] : null, values.length > 1 ? values[1] : null,
                values.length > 2 ? values[2] : null);
    }
}
