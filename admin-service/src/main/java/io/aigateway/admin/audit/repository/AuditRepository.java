package io.aigateway.admin.audit.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.admin.audit.service.AuditEntry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code admin.audit_log} through the reactive SQL client (jsonb columns, keyset pagination; usable from the
 * publisher's thread and inside the configuration store's transactions, where a Hibernate session is not).
 */
@ApplicationScoped
public class AuditRepository {

    private static final String INSERT = "INSERT INTO admin.audit_log (actor, actor_user, action, target, before, after, "
            + "status, request_id) VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7, $8)";

    private final Pool pool;
    private final ObjectMapper mapper;

    public AuditRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /** Inserts on {@code client} (a transaction's connection, or the pool). */
    public Uni<Void> insert(SqlClient client, AuditEntry e) {
        Tuple t = Tuple.tuple()
                .addString(e.actor().id())
                .addString(e.actor().userId())
                .addString(e.action())
                .addString(e.target())
                .addString(text(e.before()))
                .addString(text(e.after()))
                .addInteger(e.status())
                .addString(e.actor().requestId());
        return client.preparedQuery(INSERT).execute(t).replaceWithVoid();
    }

    public Uni<Void> insert(AuditEntry e) {
        return insert(pool, e);
    }

    /** A page query: filters may be null; {@code beforeId} is the cursor (rows with a smaller id), or null. */
    public record Query(String actor, String action, String target, Instant from, Instant to, Long beforeId, int limit) {
    }

    /** Newest first; {@code limit + 1} rows are read to know whether there is a next page. */
    public Uni<List<ObjectNode>> find(Query q) {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, actor_user, action, target, before::text, "
                + "after::text, status, request_id FROM admin.audit_log WHERE true");
        Tuple t = Tuple.tuple();
        int n = 0;
        if (q.actor() != null) {
            sql.append(" AND actor = $").append(++n);
            t.addString(q.actor());
        }
        if (q.action() != null) {
            sql.append(" AND action = $").append(++n);
            t.addString(q.action());
        }
        if (q.target() != null) {
            sql.append(" AND target = $").append(++n);
            t.addString(q.target());
        }
        if (q.from() != null) {
            sql.append(" AND at >= $").append(++n);
            t.addOffsetDateTime(OffsetDateTime.ofInstant(q.from(), ZoneOffset.UTC));
        }
        if (q.to() != null) {
            sql.append(" AND at < $").append(++n);
            t.addOffsetDateTime(OffsetDateTime.ofInstant(q.to(), ZoneOffset.UTC));
        }
        if (q.beforeId() != null) {
            sql.append(" AND id < $").append(++n);
            t.addLong(q.beforeId());
        }
        sql.append(" ORDER BY id DESC LIMIT ").append(q.limit() + 1);
        return pool.preparedQuery(sql.toString()).execute(t).map(rows -> {
            List<ObjectNode> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(toJson(r));
            }
            return out;
        });
    }

    private ObjectNode toJson(Row r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", r.getLong("id"));
        o.put("at", r.getOffsetDateTime("at").toInstant().toString());
        o.put("actor", r.getString("actor"));
        o.put("actorUser", r.getString("actor_user"));
        o.put("action", r.getString("action"));
        o.put("target", r.getString("target"));
        o.set("before", parse(r.getString("before")));
        o.set("after", parse(r.getString("after")));
        Integer status = r.getInteger("status");
        if (status == null) {
            o.putNull("status");
        } else {
            o.put("status", status);
        }
        o.put("requestId", r.getString("request_id"));
        return o;
    }

    private JsonNode parse(String json) {
        if (json == null) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
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

    /** An empty JSON array (for callers building pages). */
    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }
}
