package io.aigateway.routing.preferences;

import io.aigateway.contracts.error.ApiError;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code routing.user_preferences} (+ the per-user version in {@code routing.user_preference_versions}) through the
 * reactive PostgreSQL pool. Every change bumps the user's version in the same transaction (which also serialises
 * concurrent changes of one user) and answers the user's full set as of that version.
 */
@ApplicationScoped
public class PreferenceRepository {

    /** A user's preferences as of {@code version} (0: never changed). */
    public record Snapshot(long version, List<Preference> preferences) {
    }

    /** Uses of one (user, context) preference since the last flush. */
    public record UsageDelta(String userId, String context, long count, Instant lastUsedAt) {
    }

    private static final String SELECT_USER = "SELECT v.version, p.context, p.provider, p.model, p.usage_count, "
            + "p.last_used_at, p.created_at, p.updated_at FROM (SELECT $1::text AS user_id) u "
            + "LEFT JOIN routing.user_preference_versions v ON v.user_id = u.user_id "
            + "LEFT JOIN routing.user_preferences p ON p.user_id = u.user_id ORDER BY p.context";

    private static final String BUMP_VERSION = "INSERT INTO routing.user_preference_versions AS v (user_id, version) "
            + "VALUES ($1, 1) ON CONFLICT (user_id) DO UPDATE SET version = v.version + 1 RETURNING version";

    private static final String COUNT_OTHERS = "SELECT count(*) AS n FROM routing.user_preferences "
            + "WHERE user_id = $1 AND context <> $2";

    // A new provider/model for a context starts its usage count afresh.
    private static final String UPSERT = "INSERT INTO routing.user_preferences AS p (user_id, context, provider, model) "
            + "VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, context) DO UPDATE SET "
            + "usage_count = CASE WHEN p.provider = EXCLUDED.provider AND p.model = EXCLUDED.model THEN p.usage_count ELSE 0 END, "
            + "last_used_at = CASE WHEN p.provider = EXCLUDED.provider AND p.model = EXCLUDED.model THEN p.last_used_at END, "
            + "provider = EXCLUDED.provider, model = EXCLUDED.model, updated_at = now()";

    private static final String DELETE = "DELETE FROM routing.user_preferences WHERE user_id = $1 AND context = $2";

    private static final String ADD_USAGE = "UPDATE routing.user_preferences p SET usage_count = p.usage_count + v.n, "
            + "last_used_at = GREATEST(p.last_used_at, v.t) "
            + "FROM unnest($1::text[], $2::text[], $3::int8[], $4::timestamptz[]) AS v(user_id, context, n, t) "
            + "WHERE p.user_id = v.user_id AND p.context = v.context";

    private final Pool pool;

    public PreferenceRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Snapshot> find(String userId) {
        return pool.preparedQuery(SELECT_USER).execute(Tuple.of(userId)).map(PreferenceRepository::snapshot);
    }

    /**
     * Stores (or replaces) the preference of {@code context}.
     * Fails with a 400 {@code ApiException} (param {@code context}) when the user already has {@code maxPerUser} others.
     */
    public Uni<Snapshot> upsert(String userId, String context, String provider, String model, int maxPerUser) {
        return pool.withTransaction(conn -> bump(conn, userId)
                .flatMap(v -> conn.preparedQuery(COUNT_OTHERS).execute(Tuple.of(userId, context)))
                .flatMap(rows -> {
                    long others = rows.iterator().next().getLong("n");
                    if (others >= maxPerUser) {
                        return Uni.createFrom().failure(ApiError.badRequest("At most " + maxPerUser
                                + " preferences per user; delete one first.", "context", "too_many_preferences").exception());
                    }
                    return conn.preparedQuery(UPSERT).execute(Tuple.of(userId, context, provider, model));
                })
                .flatMap(rows -> conn.preparedQuery(SELECT_USER).execute(Tuple.of(userId)))
                .map(PreferenceRepository::snapshot));
    }

    /**
     * Deletes the preference of {@code context}. Fails with a 404 {@code ApiException} (param {@code context}, nothing
     * changed) when there is none. The version is taken first, as in {@link #upsert}, so the two never deadlock.
     */
    public Uni<Snapshot> delete(String userId, String context) {
        return pool.withTransaction(conn -> bump(conn, userId)
                .flatMap(v -> conn.preparedQuery(DELETE).execute(Tuple.of(userId, context)))
                .flatMap(rows -> rows.rowCount() == 0
                        ? Uni.createFrom().<RowSet<Row>>failure(new ApiError(404, "invalid_request_error", "not_found",
                        "context", "No preference for context '" + context + "'.", null).exception())
                        : conn.preparedQuery(SELECT_USER).execute(Tuple.of(userId)))
                .map(PreferenceRepository::snapshot));
    }

    /** Adds the uses of a batch in one statement. @return the number of preferences updated */
    public Uni<Integer> addUsage(List<UsageDelta> batch) {
        int n = batch.size();
        String[] users = new String[n];
        String[] contexts = new String[n];
        Long[] counts = new Long[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            UsageDelta d = batch.get(i);
            users[i] = d.userId();
            contexts[i] = d.context();
            counts[i] = d.count();
            times[i] = OffsetDateTime.ofInstant(d.lastUsedAt(), ZoneOffset.UTC);
        }
        Tuple args = Tuple.tuple().addValue(users).addValue(contexts).addValue(counts).addValue(times);
        return pool.preparedQuery(ADD_USAGE).execute(args).map(RowSet::rowCount);
    }

    /** A cheap round trip, for readiness details. */
    public Uni<Void> ping() {
        return pool.query("SELECT 1").execute().replaceWithVoid();
    }

    private static Uni<Long> bump(SqlConnection conn, String userId) {
        return conn.preparedQuery(BUMP_VERSION).execute(Tuple.of(userId)).map(rows -> rows.iterator().next().getLong("version"));
    }

    private static Snapshot snapshot(RowSet<Row> rows) {
        long version = 0;
        List<Preference> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Long v = row.getLong("version");
            if (v != null) {
                version = v;
            }
            String context = row.getString("context");
            if (context == null) {
                continue;
            }
            out.add(new Preference(context, row.getString("provider"), row.getString("model"),
                    row.getLong("usage_count"), instant(row.getOffsetDateTime("last_used_at")),
                    instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("updated_at"))));
        }
        return new Snapshot(version, List.copyOf(out));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
