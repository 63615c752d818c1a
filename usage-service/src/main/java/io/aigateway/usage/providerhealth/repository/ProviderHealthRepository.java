package io.aigateway.usage.providerhealth.repository;

import io.aigateway.contracts.health.ProviderHealthEvent;
import io.aigateway.usage.providerhealth.rest.HealthHistoryRow;
import io.aigateway.usage.providerhealth.rest.HistoryPage;
import io.aigateway.usage.providerhealth.rest.HistoryParams;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** {@code usage.provider_health} through the reactive PostgreSQL pool. */
@ApplicationScoped
public class ProviderHealthRepository {

    private static final String INSERT = "INSERT INTO usage.provider_health (event_id, provider, type, healthy, "
            + "previous_healthy, detail, latency_ms, consecutive_failures, checked_at, occurred_at, instance) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (event_id) DO NOTHING";

    private static final String COLUMNS = "id, event_id, provider, type, healthy, previous_healthy, detail, latency_ms, "
            + "consecutive_failures, checked_at, occurred_at, instance";

    private static final String PURGE = "DELETE FROM usage.provider_health WHERE occurred_at < $1";

    private final Pool pool;

    public ProviderHealthRepository(Pool pool) {
        this.pool = pool;
    }

    /** {@code true} if a row was added, {@code false} when the event is already stored. */
    public Uni<Boolean> insertIfAbsent(ProviderHealthEvent e) {
        Tuple t = Tuple.tuple()
                .addValue(e.eventId())
                .addValue(e.provider())
                .addValue(e.type().name())
                .addValue(e.healthy())
                .addValue(e.previousHealthy())
                .addValue(e.detail())
                .addValue(e.latencyMs())
                .addValue(e.consecutiveFailures())
                .addValue(utc(e.checkedAt()))
                .addValue(utc(e.occurredAt()))
                .addValue(e.instance());
        return pool.preparedQuery(INSERT).execute(t).map(rows -> rows.rowCount() > 0);
    }

    /**
     * Newest first within {@code [from, to)}, after the cursor when given, at most {@code limit} rows; the next cursor
     * when more rows follow. {@code provider} null = every provider.
     */
    public Uni<HistoryPage<HealthHistoryRow>> page(String provider, HistoryParams.TimeRange range,
                                                   HistoryParams.Cursor cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS)
                .append(" FROM usage.provider_health WHERE true");
        Tuple args = Tuple.tuple();
        if (provider != null) {
            args.addValue(provider);
            sql.append(" AND provider = $1");
        }
        String query = KeysetPages.finish(sql, args, range, cursor, limit);
        return pool.preparedQuery(query).execute(args)
                .map(rows -> KeysetPages.page(rows, limit, ProviderHealthRepository::toRow));
    }

    /** Deletes the rows that occurred before {@code cutoff}; completes with how many. */
    public Uni<Integer> purgeBefore(Instant cutoff) {
        return pool.preparedQuery(PURGE).execute(Tuple.of(utc(cutoff))).map(rows -> rows.rowCount());
    }

    private static HealthHistoryRow toRow(Row row) {
        return new HealthHistoryRow(
                row.getUUID("event_id"),
                row.getString("provider"),
                row.getString("type"),
                row.getBoolean("healthy"),
                row.getBoolean("previous_healthy"),
                row.getString("detail"),
                row.getLong("latency_ms"),
                row.getInteger("consecutive_failures"),
                instant(row.getOffsetDateTime("checked_at")),
                instant(row.getOffsetDateTime("occurred_at")),
                row.getString("instance"));
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
