package io.aigateway.usage.quota.repository;

import io.aigateway.contracts.quota.QuotaLimits;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Tiers, per-user and per-key limits, admin resets and sent alerts (schema {@code usage}, reactive pool). */
@ApplicationScoped
public class QuotaRepository {

    /** A tier and how many users name it explicitly ({@code users}; users following the default are not counted). */
    public record Tier(String name, QuotaLimits limits, long users, Instant updatedAt) {
    }

    /** A user's row: {@code tier} null = the default tier; {@code overrides} over the tier's limits. */
    public record UserQuota(String userId, String tier, QuotaLimits overrides, Instant updatedAt) {
    }

    public record KeyQuota(String keyId, QuotaLimits limits, Instant updatedAt) {
    }

    private static final String TIER_SELECT = "SELECT t.name, t.updated_at, " + LimitColumns.NAMES
            + ", (SELECT count(*) FROM usage.quota_users u WHERE u.tier = t.name) AS users FROM usage.quota_tiers t";

    private final Pool pool;

    public QuotaRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Tier>> tiers() {
        return pool.query(TIER_SELECT + " ORDER BY t.name").execute().map(rows -> list(rows, QuotaRepository::tier));
    }

    public Uni<Optional<Tier>> tier(String name) {
        return pool.preparedQuery(TIER_SELECT + " WHERE t.name = $1").execute(Tuple.of(name))
                .map(rows -> first(rows, QuotaRepository::tier));
    }

    public Uni<Tier> upsertTier(String name, QuotaLimits limits) {
        String sql = "INSERT INTO usage.quota_tiers (name, " + LimitColumns.NAMES + ", updated_at) VALUES "
                + "($1, $2, $3, $4, $5, $6, $7, $8, now()) ON CONFLICT (name) DO UPDATE SET " + LimitColumns.EXCLUDED
                + ", updated_at = now()";
        return pool.preparedQuery(sql).execute(LimitColumns.append(Tuple.of(name), limits))
                .onItem().transformToUni(v -> tier(name)).map(Optional::orElseThrow);
    }

    /** Deletes the tier unless a user names it; {@code false} when a user does (or it is gone). */
    public Uni<Boolean> deleteUnusedTier(String name) {
        return pool.preparedQuery("DELETE FROM usage.quota_tiers t WHERE t.name = $1 "
                        + "AND NOT EXISTS (SELECT 1 FROM usage.quota_users u WHERE u.tier = t.name)")
                .execute(Tuple.of(name)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<Optional<UserQuota>> user(String userId) {
        return pool.preparedQuery("SELECT user_id, tier, updated_at, " + LimitColumns.NAMES
                        + " FROM usage.quota_users WHERE user_id = $1").execute(Tuple.of(userId))
                .map(rows -> first(rows, QuotaRepository::user));
    }

    /** Every user row; {@code tier} null = all, else the users naming it (and, if {@code orNull}, following the default). */
    public Uni<List<UserQuota>> users(String tier, boolean orNull) {
        String base = "SELECT user_id, tier, updated_at, " + LimitColumns.NAMES + " FROM usage.quota_users";
        if (tier == null) {
            return pool.query(base).execute().map(rows -> list(rows, QuotaRepository::user));
        }
        return pool.preparedQuery(base + " WHERE tier = $1" + (orNull ? " OR tier IS NULL" : ""))
                .execute(Tuple.of(tier)).map(rows -> list(rows, QuotaRepository::user));
    }

    public Uni<UserQuota> upsertUser(String userId, String tier, QuotaLimits overrides) {
        String sql = "INSERT INTO usage.quota_users (user_id, tier, " + LimitColumns.NAMES + ", updated_at) VALUES "
                + "($1, $2, $3, $4, $5, $6, $7, $8, $9, now()) ON CONFLICT (user_id) DO UPDATE SET "
                + "tier = EXCLUDED.tier, " + LimitColumns.EXCLUDED + ", updated_at = now()";
        return pool.preparedQuery(sql).execute(LimitColumns.append(Tuple.of(userId, tier), overrides))
                .onItem().transformToUni(v -> user(userId)).map(Optional::orElseThrow);
    }

    public Uni<Optional<KeyQuota>> key(String keyId) {
        return pool.preparedQuery("SELECT key_id, updated_at, " + LimitColumns.NAMES
                        + " FROM usage.quota_keys WHERE key_id = $1").execute(Tuple.of(keyId))
                .map(rows -> first(rows, QuotaRepository::key));
    }

    public Uni<List<KeyQuota>> keys() {
        return pool.query("SELECT key_id, updated_at, " + LimitColumns.NAMES + " FROM usage.quota_keys").execute()
                .map(rows -> list(rows, QuotaRepository::key));
    }

    public Uni<KeyQuota> upsertKey(String keyId, QuotaLimits limits) {
        String sql = "INSERT INTO usage.quota_keys (key_id, " + LimitColumns.NAMES + ", updated_at) VALUES "
                + "($1, $2, $3, $4, $5, $6, $7, $8, now()) ON CONFLICT (key_id) DO UPDATE SET "
                + LimitColumns.EXCLUDED + ", updated_at = now()";
        return pool.preparedQuery(sql).execute(LimitColumns.append(Tuple.of(keyId), limits))
                .onItem().transformToUni(v -> key(keyId)).map(Optional::orElseThrow);
    }

    public Uni<Boolean> deleteKey(String keyId) {
        return pool.preparedQuery("DELETE FROM usage.quota_keys WHERE key_id = $1").execute(Tuple.of(keyId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Records an admin reset of the subject's windows at {@code at} (the latest one wins). */
    public Uni<Void> upsertResets(String subject, List<String> windows, Instant at) {
        return pool.preparedQuery("INSERT INTO usage.quota_resets (subject, \"window\", reset_at) "
                        + "SELECT $1, w, $3 FROM unnest($2::text[]) AS w "
                        + "ON CONFLICT (subject, \"window\") DO UPDATE SET reset_at = EXCLUDED.reset_at")
                .execute(Tuple.of(subject, windows.toArray(String[]::new), OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /**
     * Claims one alert: {@code true} only for the caller whose insert made the row, so among replicas exactly one
     * sends it, once per window.
     */
    public Uni<Boolean> claimAlert(String subject, String windowId, String metric, int threshold) {
        return pool.preparedQuery("INSERT INTO usage.quota_alerts (subject, window_id, metric, threshold) "
                        + "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1")
                .execute(Tuple.of(subject, windowId, metric, threshold)).map(rows -> rows.size() > 0);
    }

    private static Tier tier(Row row) {
        return new Tier(row.getString("name"), LimitColumns.read(row), row.getLong("users"),
                row.getOffsetDateTime("updated_at").toInstant());
    }

    private static UserQuota user(Row row) {
        return new UserQuota(row.getString("user_id"), row.getString("tier"), LimitColumns.read(row),
                row.getOffsetDateTime("updated_at").toInstant());
    }

    private static KeyQuota key(Row row) {
        return new KeyQuota(row.getString("key_id"), LimitColumns.read(row),
                row.getOffsetDateTime("updated_at").toInstant());
    }

    private static <T> List<T> list(RowSet<Row> rows, Function<Row, T> map) {
        List<T> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(map.apply(row));
        }
        return out;
    }

    private static <T> Optional<T> first(RowSet<Row> rows, Function<Row, T> map) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(map.apply(it.next())) : Optional.empty();
    }
}
