package io.aigateway.admin.config.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.admin.audit.repository.AuditRepository;
import io.aigateway.admin.audit.service.Actor;
import io.aigateway.admin.audit.service.AuditEntry;
import io.aigateway.admin.audit.service.AuditLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code admin.runtime_config}: the desired run-time configuration, one row per record key of {@code ai.config.v1}
 * ({@code provider:<id>}, {@code group:<name>}), with its revision and the newest revision Kafka acknowledged.
 * A change locks the row, computes the new value from the current one, writes it with the next revision and writes
 * its audit entry, all in one transaction: a change that fails validation stores nothing.
 * Reactive SQL client, so that the publisher's own thread can use it too.
 */
@ApplicationScoped
public class ConfigStore {

    /** A stored row. @param value the JSON value, null when deleted (a tombstone) */
    public record Stored(String key, JsonNode value, long revision, long publishedRevision, Instant updatedAt,
                         String updatedBy) {

        public boolean published() {
            return publishedRevision >= revision;
        }
    }

    /** What a change function gets: the current row (null when none), and the new revision's number and time. */
    public record Change(Stored current, long revision, Instant at, Actor actor) {
    }

    /** What a change function answers: the new value (null = delete) and the audit action with its before/after. */
    public record Result(JsonNode value, String action, JsonNode before, JsonNode after) {
    }

    /** Computes the change; may throw an {@code ApiException} (400 …), then nothing is stored. */
    @FunctionalInterface
    public interface ChangeFunction {
        Result apply(Change change);
    }

    private static final String SELECT = "SELECT config_key, value::text, revision, published_revision, updated_at, "
            + "updated_by FROM admin.runtime_config";

    private final Pool pool;
    private final ObjectMapper mapper;
    private final AuditRepository audit;

    public ConfigStore(Pool pool, ObjectMapper mapper, AuditRepository audit) {
        this.pool = pool;
        this.mapper = mapper;
        this.audit = audit;
    }

    public Uni<Stored> find(String key) {
        return pool.preparedQuery(SELECT + " WHERE config_key = $1").execute(Tuple.of(key))
                .map(rows -> rows.size() == 0 ? null : toStored(rows.iterator().next()));
    }

    /** Every row whose key starts with {@code prefix} (deleted ones included), by key. */
    public Uni<List<Stored>> list(String prefix) {
        return pool.preparedQuery(SELECT + " WHERE starts_with(config_key, $1) ORDER BY config_key")
                .execute(Tuple.of(prefix)).map(this::toList);
    }

    /** The keys whose newest revision Kafka has not acknowledged yet. */
    public Uni<List<String>> unpublishedKeys() {
        return pool.query("SELECT config_key FROM admin.runtime_config WHERE published_revision < revision "
                + "ORDER BY config_key").execute().map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    /** Marks every row as not published (the topic was created or found empty: it must be rebuilt). */
    public Uni<Integer> markAllUnpublished() {
        return pool.query("UPDATE admin.runtime_config SET published_revision = 0").execute().map(RowSet::rowCount);
    }

    /** Kafka acknowledged {@code revision} of {@code key}. */
    public Uni<Void> markPublished(String key, long revision) {
        return pool.preparedQuery("UPDATE admin.runtime_config SET published_revision = GREATEST(published_revision, $2) "
                + "WHERE config_key = $1").execute(Tuple.of(key, revision)).replaceWithVoid();
    }

    /** Applies {@code change} to the row of {@code key} in one transaction with its audit entry; the new row. */
    public Uni<Stored> change(String key, Actor actor, ChangeFunction change) {
        return pool.withTransaction(conn -> conn.preparedQuery(SELECT + " WHERE config_key = $1 FOR UPDATE")
                .execute(Tuple.of(key))
                .flatMap(rows -> {
                    Stored current = rows.size() == 0 ? null : toStored(rows.iterator().next());
                    long revision = current == null ? 1 : current.revision() + 1;
                    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    Result r = change.apply(new Change(current, revision, at, actor));
                    Tuple t = Tuple.tuple().addString(key).addString(text(r.value())).addLong(revision)
                            .addOffsetDateTime(OffsetDateTime.ofInstant(at, ZoneOffset.UTC)).addString(actor.id());
                    AuditEntry entry = new AuditEntry(actor, r.action(), key, r.before(), r.after(), 200);
                    return conn.preparedQuery("INSERT INTO admin.runtime_config (config_key, value, revision, updated_at, "
                                    + "updated_by) VALUES ($1, $2::text::jsonb, $3, $4, $5) ON CONFLICT (config_key) DO UPDATE SET "
                                    + "value = EXCLUDED.value, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at, "
                                    + "updated_by = EXCLUDED.updated_by")
                            .execute(t)
                            .flatMap(ignored -> audit.insert(conn, entry))
                            .invoke(() -> AuditLog.log(entry))
                            .map(ignored -> new Stored(key, r.value(), revision,
                                    current == null ? 0 : current.publishedRevision(), at, actor.id()));
                }));
    }

    private List<Stored> toList(RowSet<Row> rows) {
        List<Stored> out = new ArrayList<>();
        rows.forEach(r -> out.add(toStored(r)));
        return out;
    }

    private Stored toStored(Row r) {
        String json = r.getString(1);
        JsonNode value;
        try {
            value = json == null ? null : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return new Stored(r.getString(0), value, r.getLong(2), r.getLong(3), r.getOffsetDateTime(4).toInstant(),
                r.getString(5));
    }

    private String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
