package io.aigateway.usage.alerts.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.usage.alerts.listener.StoredAlert;
import io.aigateway.usage.alerts.rest.AlertRow;
import io.aigateway.usage.providerhealth.repository.KeysetPages;
import io.aigateway.usage.providerhealth.rest.HistoryPage;
import io.aigateway.usage.providerhealth.rest.HistoryParams;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** {@code usage.alerts} through the reactive PostgreSQL pool. */
@ApplicationScoped
public class AlertRepository {

    private static final String INSERT = "INSERT INTO usage.alerts (alert_id, type, subject, occurred_at, payload) "
            + "VALUES ($1, $2, $3, $4, $5::text::jsonb) ON CONFLICT (alert_id) DO NOTHING";

    private static final String COLUMNS = "id, alert_id, type, subject, occurred_at, payload::text AS payload";

    private final Pool pool;
    private final ObjectMapper mapper;

    public AlertRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /** {@code true} if a row was added, {@code false} when the alert is already stored. */
    public Uni<Boolean> insertIfAbsent(StoredAlert a) {
        Tuple t = Tuple.of(a.alertId(), a.type(), a.subject(), OffsetDateTime.ofInstant(a.occurredAt(), ZoneOffset.UTC),
                a.payloadJson());
        return pool.preparedQuery(INSERT).execute(t).map(rows -> rows.rowCount() > 0);
    }

    /** Newest first; {@code type}, {@code subject} null = no filter. */
    public Uni<HistoryPage<AlertRow>> page(String type, String subject, HistoryParams.TimeRange range,
                                           HistoryParams.Cursor cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM usage.alerts WHERE true");
        Tuple args = Tuple.tuple();
        if (type != null) {
            args.addValue(type);
            sql.append(" AND type = $").append(args.size());
        }
        if (subject != null) {
            args.addValue(subject);
            sql.append(" AND subject = $").append(args.size());
        }
        String query = KeysetPages.finish(sql, args, range, cursor, limit);
        return pool.preparedQuery(query).execute(args)
                .map(rows -> KeysetPages.page(rows, limit, this::toRow));
    }

    private AlertRow toRow(Row row) {
        JsonNode payload;
        try {
            payload = mapper.readTree(row.getString("payload"));
        } catch (JsonProcessingException e) {
            // jsonb always holds valid JSON
            throw new IllegalStateException("unreadable alert payload", e);
        }
        return new AlertRow(row.getUUID("alert_id"), row.getString("type"), row.getString("subject"),
                row.getOffsetDateTime("occurred_at").toInstant(), payload);
    }
}
