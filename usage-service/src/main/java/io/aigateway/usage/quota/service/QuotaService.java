package io.aigateway.usage.quota.service;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.quota.QuotaKeys.Window;
import io.aigateway.contracts.quota.QuotaLimits;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.usage.config.QuotaConfig;
import io.aigateway.usage.quota.redis.QuotaRedis;
import io.aigateway.usage.quota.repository.QuotaRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The quota API's operations: PostgreSQL first (the source of truth), then the Redis hashes the change affects,
 * before the answer, so the edge enforces the change from its next request on.
 */
@ApplicationScoped
public class QuotaService {

    private static final Pattern TIER_NAME = Pattern.compile("[a-z0-9_-]{1,32}");

    public record TierView(String name, QuotaLimits limits, long users, Instant updatedAt) {
    }

    public record TiersView(String defaultTier, List<TierView> tiers) {
    }

    public record UserView(String userId, String tier, QuotaLimits overrides, QuotaLimits effective,
                           List<LimitRow> limits) {
    }

    public record KeyView(String keyId, QuotaLimits limits, List<LimitRow> usage) {
    }

    private final QuotaRepository repository;
    private final LimitsPublisher publisher;
    private final CounterView counters;
    private final QuotaRedis redis;
    private final QuotaLoader loader;
    private final String defaultTier;

    public QuotaService(QuotaRepository repository, LimitsPublisher publisher, CounterView counters, QuotaRedis redis,
                        QuotaLoader loader, QuotaConfig config) {
        this.repository = repository;
        this.publisher = publisher;
        this.counters = counters;
        this.redis = redis;
        this.loader = loader;
        this.defaultTier = config.defaultTier();
    }

    public Uni<TiersView> tiers() {
        return repository.tiers().map(tiers -> new TiersView(defaultTier, tiers.stream().map(QuotaService::view).toList()));
    }

    public Uni<TierView> tier(String name) {
        return repository.tier(name).map(t -> view(t.orElseThrow(() -> unknownTier(name))));
    }

    public Uni<TierView> putTier(String name, QuotaLimits limits) {
        if (!TIER_NAME.matcher(name).matches()) {
            throw ApiError.badRequest("A tier name is 1 to 32 characters of a-z, 0-9, '_' and '-'.", "tier").exception();
        }
        return repository.upsertTier(name, limits)
                .call(t -> toRedis(publisher.tierChanged(name)))
                .map(QuotaService::view);
    }

    /** 409 while it is the default tier or users name it; 404 when unknown. */
    public Uni<Void> deleteTier(String name) {
        if (name.equals(defaultTier)) {
            throw conflict("Tier '" + name + "' is the default tier (aigw.quota.default-tier) and cannot be deleted.");
        }
        return repository.tier(name).onItem().transformToUni(t -> {
            QuotaRepository.Tier tier = t.orElseThrow(() -> unknownTier(name));
            if (tier.users() > 0) {
                throw conflict("Tier '" + name + "' is assigned to " + tier.users() + " user(s); move them first.");
            }
            return repository.deleteUnusedTier(name).map(deleted -> {
                if (!deleted) {
                    throw conflict("Tier '" + name + "' was assigned to a user meanwhile; move them first.");
                }
                return null;
            });
        });
    }

    public Uni<UserView> user(String userId) {
        return repository.user(userId).onItem().transformToUni(row -> userView(userId, row.orElse(null)));
    }

    /** Replaces the user's tier (null = the default) and overrides; 400 {@code tier} for an unknown tier. */
    public Uni<UserView> putUser(String userId, String tier, QuotaLimits overrides) {
        Uni<Void> check = tier == null ? Uni.createFrom().voidItem()
                : repository.tier(tier).map(t -> {
                    if (t.isEmpty()) {
                        throw ApiError.badRequest("Unknown tier '" + LogSafe.escape(tier, 64) + "'.", "tier").exception();
                    }
                    return null;
                });
        return check.onItem().transformToUni(v -> repository.upsertUser(userId, tier, overrides))
                .onItem().transformToUni(row -> publisher.tierTable()
                        .call(tiers -> toRedis(publisher.publishUser(row, tiers)))
                        .onItem().transformToUni(tiers -> userView(userId, row, tiers)));
    }

    /** Sets the used counters of the current windows to 0 and records the reset for rebuilds. */
    public Uni<UserView> resetUser(String userId, List<Window> windows) {
        return reset(QuotaKeys.userSubject(userId), windows).onItem().transformToUni(v -> user(userId));
    }

    public Uni<KeyView> key(String keyId) {
        return repository.key(keyId).onItem().transformToUni(row -> keyView(keyId,
                row.map(QuotaRepository.KeyQuota::limits).orElse(QuotaLimits.NONE)));
    }

    public Uni<KeyView> putKey(String keyId, QuotaLimits limits) {
        return repository.upsertKey(keyId, limits)
                .call(row -> toRedis(publisher.publishKey(row)))
                .onItem().transformToUni(row -> keyView(keyId, row.limits()));
    }

    public Uni<Void> deleteKey(String keyId) {
        return repository.deleteKey(keyId).onItem().transformToUni(v -> toRedis(publisher.removeKey(keyId)));
    }

    public Uni<KeyView> resetKey(String keyId, List<Window> windows) {
        return reset(QuotaKeys.keySubject(keyId), windows).onItem().transformToUni(v -> key(keyId));
    }

    private Uni<Void> reset(String subject, List<Window> windows) {
        Instant now = Instant.now();
        return repository.upsertResets(subject, windows.stream().map(w -> w.wire).toList(), now)
                .onItem().transformToUni(v -> redis.resetUsed(subject, windows, now).onFailure().transform(e -> unavailable(
                        "The reset is recorded but the live counters could not be changed; try again shortly.")));
    }

    /**
     * A change is in PostgreSQL; if its Redis write fails, the loader rewrites everything on its next tick and the
     * caller gets a 503 saying so (a retry of the same PUT is harmless).
     */
    private Uni<Void> toRedis(Uni<Void> write) {
        return write.onFailure().invoke(e -> loader.markStale())
                .onFailure().transform(e -> unavailable(
                        "The change is stored; Redis could not be updated now and will be within seconds."));
    }

    private static ApiException unavailable(String message) {
        return new ApiError(503, "api_error", "service_unavailable", null, message, Map.of("retry-after", "5"))
                .exception();
    }

    private Uni<UserView> userView(String userId, QuotaRepository.UserQuota row) {
        return publisher.tierTable().onItem().transformToUni(tiers -> userView(userId, row, tiers));
    }

    private Uni<UserView> userView(String userId, QuotaRepository.UserQuota row, TierTable tiers) {
        QuotaLimits effective = tiers.effective(row);
        return counters.rows(QuotaKeys.userSubject(userId), effective)
                .map(rows -> new UserView(userId, tiers.tierOf(row),
                        Optional.ofNullable(row).map(QuotaRepository.UserQuota::overrides).orElse(QuotaLimits.NONE),
                        effective, rows));
    }

    private Uni<KeyView> keyView(String keyId, QuotaLimits limits) {
        return counters.rows(QuotaKeys.keySubject(keyId), limits).map(rows -> new KeyView(keyId, limits, rows));
    }

    private static TierView view(QuotaRepository.Tier t) {
        return new TierView(t.name(), t.limits(), t.users(), t.updatedAt());
    }

    private static RuntimeException unknownTier(String name) {
        return ApiError.notFound("Unknown tier '" + LogSafe.escape(name, 64) + "'.").exception();
    }

    private static RuntimeException conflict(String message) {
        return new ApiError(409, "invalid_request_error", "conflict", "tier", LogSafe.escape(message, 512), null)
                .exception();
    }
}
