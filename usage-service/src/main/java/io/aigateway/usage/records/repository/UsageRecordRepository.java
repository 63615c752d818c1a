package io.aigateway.usage.records.repository;

import io.aigateway.contracts.usage.UsageEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.PreparedQuery;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** {@code usage.usage_records} through the reactive PostgreSQL pool (one prepared statement per query). */
@ApplicationScoped
public class UsageRecordRepository {

    private static final String COLUMNS = "event_id, request_id, occurred_at, user_id, key_id, context, "
            + "requested_model, provider, model, policy, prompt_tokens, completion_tokens, total_tokens, "
            + "usage_estimated, cost_usd, cost_saved_usd, latency_ms, ttft_ms, streamed, cached, outcome, "
            + "error_class, attempts, trace_id";

    /**
     * The rows an insert actually added ({@code RETURNING} of {@code ON CONFLICT DO NOTHING}) are added to the hourly
     * rollup {@code usage.usage_hourly} in the same statement, so in the same transaction: a duplicate (redelivered)
     * event adds nothing to either table. Rollup rows are written in key order so concurrent batches lock them in
     * the same order. The statement's result is the number of rows added.
     */
    private static final String ROLLUP_FROM_INSERTED = "RETURNING occurred_at, provider, model, context, outcome, "
            + "cached, prompt_tokens, completion_tokens, cost_usd, cost_saved_usd, latency_ms), "
            + "roll AS (INSERT INTO usage.usage_hourly AS h (hour, provider, model, context, outcome, requests, errors, "
            + "cached_requests, prompt_tokens, completion_tokens, cost_usd, cost_saved_usd, latency_ms_sum) "
            + "SELECT date_trunc('hour', occurred_at, 'UTC'), coalesce(provider, ''), coalesce(model, ''), "
            + "coalesce(context, ''), outcome, count(*), count(*) FILTER (WHERE outcome <> 'SUCCESS'), "
            + "count(*) FILTER (WHERE cached), sum(prompt_tokens), sum(completion_tokens), sum(cost_usd), "
            + "coalesce(sum(cost_saved_usd), 0), sum(latency_ms) FROM ins GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5 "
            + "ON CONFLICT (hour, provider, model, context, outcome) DO UPDATE SET "
            + "requests = h.requests + EXCLUDED.requests, errors = h.errors + EXCLUDED.errors, "
            + "cached_requests = h.cached_requests + EXCLUDED.cached_requests, "
            + "prompt_tokens = h.prompt_tokens + EXCLUDED.prompt_tokens, "
            + "completion_tokens = h.completion_tokens + EXCLUDED.completion_tokens, "
            + "cost_usd = h.cost_usd + EXCLUDED.cost_usd, cost_saved_usd = h.cost_saved_usd + EXCLUDED.cost_saved_usd, "
            + "latency_ms_sum = h.latency_ms_sum + EXCLUDED.latency_ms_sum) "
            + "SELECT count(*) FROM ins";

    private static final String INSERT = "WITH ins AS (INSERT INTO usage.usage_records (" + COLUMNS + ") VALUES "
            + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, "
            + "$22, $23, $24) ON CONFLICT (event_id) DO NOTHING " + ROLLUP_FROM_INSERTED;

    /**
     * A whole batch in one statement: one array parameter per column, {@code unnest} turns them back into rows.
     * The statement text (and so its prepared plan) is the same for every batch size; duplicates, also within
     * the batch, are skipped by {@code ON CONFLICT}. Attempts travel as JSON text and are cast to jsonb.
     */
    private static final String INSERT_ALL = "WITH ins AS (INSERT INTO usage.usage_records (" + COLUMNS + ") SELECT "
            + "event_id, request_id, occurred_at, user_id, key_id, context, requested_model, provider, model, "
            + "policy, prompt_tokens, completion_tokens, total_tokens, usage_estimated, cost_usd, cost_saved_usd, "
            + "latency_ms, ttft_ms, streamed, cached, outcome, error_class, attempts::jsonb, trace_id FROM unnest("
            + "$1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], "
            + "$8::text[], $9::text[], $10::text[], $11::int4[], $12::int4[], $13::int4[], $14::bool[], "
            + "$15::numeric[], $16::numeric[], $17::int8[], $18::int8[], $19::bool[], $20::bool[], $21::text[], "
            + "$22::text[], $23::text[], $24::text[]) AS e(" + COLUMNS + ") ON CONFLICT (event_id) DO NOTHING " + ROLLUP_FROM_INSERTED;

    private static final String EMPTY_ATTEMPTS = "[]";

    private static final String SELECT_BY_USER = "SELECT " + COLUMNS + " FROM usage.usage_records "
            + "WHERE user_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT $2";

    private static final String SELECT_BY_USER_AND_REQUEST = "SELECT " + COLUMNS + " FROM usage.usage_records "
            + "WHERE user_id = $1 AND request_id = $2 ORDER BY occurred_at DESC, id DESC LIMIT $3";

    private static final String SELECT_BY_REQUEST = "SELECT " + COLUMNS + " FROM usage.usage_records "
            + "WHERE request_id = $1 ORDER BY occurred_at, id LIMIT 1000";

    private final Pool pool;

    public UsageRecordRepository(Pool pool) {
        this.pool = pool;
    }

    /** Inserts the event unless its {@code eventId} is already stored; {@code true} if a row was added. */
    public Uni<Boolean> insertIfAbsent(UsageEvent e) {
        Tuple t = Tuple.tuple()
                .addValue(e.eventId())
                .addValue(e.requestId())
                .addValue(OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC))
                .addValue(e.userId())
                .addValue(e.keyId())
                .addValue(e.context())
                .addValue(e.requestedModel())
                .addValue(e.provider())
                .addValue(e.model())
                .addValue(e.policy())
                .addValue(e.promptTokens())
                .addValue(e.completionTokens())
                .addValue(e.totalTokens())
                .addValue(e.usageEstimated())
                .addValue(Numeric.create(e.costUsd()))
                .addValue(e.costSavedUsd() == null ? null : Numeric.create(e.costSavedUsd()))
                .addValue(e.latencyMs())
                .addValue(e.ttftMs())
                .addValue(e.streamed())
                .addValue(e.cached())
                .addValue(e.outcome().name())
                .addValue(e.errorClass())
                .addValue(attemptsJson(e.attempts()))
                .addValue(e.traceId());
        return pool.preparedQuery(INSERT).execute(t).map(rows -> added(rows) > 0);
    }

    /**
     * Inserts every event whose {@code eventId} is not stored yet, in one statement (all rows or, on any
     * failure, none); completes with the number of rows added.
     */
    public Uni<Integer> insertAllIfAbsent(List<UsageEvent> events) {
        int n = events.size();
        UUID[] eventIds = new UUID[n];
        String[] requestIds = new String[n];
        OffsetDateTime[] occurredAt = new OffsetDateTime[n];
        String[] userIds = new String[n];
        String[] keyIds = new String[n];
        String[] contexts = new String[n];
        String[] requestedModels = new String[n];
        String[] providers = new String[n];
        String[] models = new String[n];
        String[] policies = new String[n];
        Integer[] promptTokens = new Integer[n];
        Integer[] completionTokens = new Integer[n];
        Integer[] totalTokens = new Integer[n];
        Boolean[] usageEstimated = new Boolean[n];
        Numeric[] costUsd = new Numeric[n];
        Numeric[] costSavedUsd = new Numeric[n];
        Long[] latencyMs = new Long[n];
        Long[] ttftMs = new Long[n];
        Boolean[] streamed = new Boolean[n];
        Boolean[] cached = new Boolean[n];
        String[] outcomes = new String[n];
        String[] errorClasses = new String[n];
        String[] attempts = new String[n];
        String[] traceIds = new String[n];
        for (int i = 0; i < n; i++) {
            UsageEvent e = events.get(i);
            eventIds[i] = e.eventId();
            requestIds[i] = e.requestId();
            occurredAt[i] = OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC);
            userIds[i] = e.userId();
            keyIds[i] = e.keyId();
            contexts[i] = e.context();
            requestedModels[i] = e.requestedModel();
            providers[i] = e.provider();
            models[i] = e.model();
            policies[i] = e.policy();
            promptTokens[i] = e.promptTokens();
            completionTokens[i] = e.completionTokens();
            totalTokens[i] = e.totalTokens();
            usageEstimated[i] = e.usageEstimated();
            costUsd[i] = Numeric.create(e.costUsd());
            costSavedUsd[i] = e.costSavedUsd() == null ? null : Numeric.create(e.costSavedUsd());
            latencyMs[i] = e.latencyMs();
            ttftMs[i] = e.ttftMs();
            streamed[i] = e.streamed();
            cached[i] = e.cached();
            outcomes[i] = e.outcome().name();
            errorClasses[i] = e.errorClass();
            attempts[i] = e.attempts().isEmpty() ? EMPTY_ATTEMPTS : attemptsJson(e.attempts()).encode();
            traceIds[i] = e.traceId();
        }
        Tuple t = Tuple.tuple()
                .addValue(eventIds).addValue(requestIds).addValue(occurredAt).addValue(userIds).addValue(keyIds)
                .addValue(contexts).addValue(requestedModels).addValue(providers).addValue(models)
                .addValue(policies).addValue(promptTokens).addValue(completionTokens).addValue(totalTokens)
                .addValue(usageEstimated).addValue(costUsd).addValue(costSavedUsd).addValue(latencyMs)
                .addValue(ttftMs).addValue(streamed).addValue(cached).addValue(outcomes).addValue(errorClasses)
                .addValue(attempts).addValue(traceIds);
        return pool.preparedQuery(INSERT_ALL).execute(t).map(UsageRecordRepository::added);
    }

    private static int added(RowSet<Row> rows) {
        return rows.iterator().next().getLong(0).intValue();
    }

    /** Every record of one request (normally one; retries of the same request give more), oldest first. */
    public Uni<List<UsageEvent>> findByRequest(String requestId) {
        return pool.preparedQuery(SELECT_BY_REQUEST).execute(Tuple.of(requestId)).map(rows -> {
            List<UsageEvent> out = new ArrayList<>(rows.size());
            for (Row row : rows) {
                out.add(toEvent(row));
            }
            return out;
        });
    }

    /** Newest first. {@code requestId} may be null (no filter). */
    public Uni<List<UsageEvent>> findByUser(String userId, String requestId, int limit) {
        PreparedQuery<RowSet<Row>> query;
        Tuple args;
        if (requestId == null) {
            query = pool.preparedQuery(SELECT_BY_USER);
            args = Tuple.of(userId, limit);
        } else {
            query = pool.preparedQuery(SELECT_BY_USER_AND_REQUEST);
            args = Tuple.of(userId, requestId, limit);
        }
        return query.execute(args).map(rows -> {
            List<UsageEvent> out = new ArrayList<>(rows.size());
            for (Row row : rows) {
                out.add(toEvent(row));
            }
            return out;
        });
    }

    static JsonArray attemptsJson(List<UsageEvent.Attempt> attempts) {
        JsonArray array = new JsonArray(new ArrayList<>(attempts.size()));
        for (UsageEvent.Attempt a : attempts) {
            JsonObject o = new JsonObject();
            putIfNotNull(o, "provider", a.provider());
            putIfNotNull(o, "model", a.model());
            putIfNotNull(o, "errorClass", a.errorClass());
            putIfNotNull(o, "status", a.status());
            o.put("latencyMs", a.latencyMs());
            array.add(o);
        }
        return array;
    }

    private static void putIfNotNull(JsonObject o, String key, Object value) {
        if (value != null) {
            o.put(key, value);
        }
    }

    private static UsageEvent toEvent(Row row) {
        return new UsageEvent(
                row.getUUID("event_id"),
                row.getString("request_id"),
                row.getOffsetDateTime("occurred_at").toInstant(),
                row.getString("user_id"),
                row.getString("key_id"),
                row.getString("context"),
                row.getString("requested_model"),
                row.getString("provider"),
                row.getString("model"),
                row.getString("policy"),
                row.getInteger("prompt_tokens"),
                row.getInteger("completion_tokens"),
                row.getInteger("total_tokens"),
                row.getBoolean("usage_estimated"),
                money(row.getBigDecimal("cost_usd")),
                money(row.getBigDecimal("cost_saved_usd")),
                row.getLong("latency_ms"),
                row.getLong("ttft_ms"),
                row.getBoolean("streamed"),
                row.getBoolean("cached"),
                UsageEvent.Outcome.valueOf(row.getString("outcome")),
                row.getString("error_class"),
                attempts(row.getJsonArray("attempts")),
                row.getString("trace_id"));
    }

    /** numeric(20,10) comes back with scale 10: drop the padding zeros, keep a plain (non-negative) scale. */
    static BigDecimal money(BigDecimal v) {
        if (v == null) {
            return null;
        }
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private static List<UsageEvent.Attempt> attempts(JsonArray array) {
        if (array == null || array.isEmpty()) {
            return List.of();
        }
        List<UsageEvent.Attempt> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonObject o = array.getJsonObject(i);
            Long latency = o.getLong("latencyMs");
            out.add(new UsageEvent.Attempt(o.getString("provider"), o.getString("model"),
                    o.getString("errorClass"), o.getInteger("status"), latency == null ? 0L : latency));
        }
        return out;
    }
}
