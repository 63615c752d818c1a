package io.aigateway.usage.quota.service;

import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.usage.config.QuotaConfig;
import io.aigateway.usage.quota.redis.QuotaRedis;
import io.aigateway.usage.quota.repository.QuotaRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.function.Function;

/**
 * Writes limits from PostgreSQL into the Redis hashes the edge reads per request ({@code l:d}, {@code l:u:{id}},
 * {@code l:k:{id}}), each replaced whole. Used by the loader (everything) and by the API (what a change affects),
 * so a change is enforced everywhere as soon as its write returns.
 */
@ApplicationScoped
public class LimitsPublisher {

    /**
     * Redis writes in flight at once while publishing many subjects: at most the Redis pool's size, so a load of
     * many subjects queues in this stream, not in the pool's wait queue (which refuses work when full).
     */
    static final int CONCURRENCY = 8;

    private final QuotaRepository repository;
    private final QuotaRedis redis;
    private final String defaultTier;

    public LimitsPublisher(QuotaRepository repository, QuotaRedis redis, QuotaConfig config) {
        this.repository = repository;
        this.redis = redis;
        this.defaultTier = config.defaultTier();
    }

    public Uni<TierTable> tierTable() {
        return repository.tiers().map(tiers -> new TierTable(tiers, defaultTier));
    }

    public Uni<Void> publishDefault(TierTable tiers) {
        return redis.writeLimits(QuotaKeys.defaultLimits(redis.prefix()), tiers.defaultLimits(), tiers.defaultTier());
    }

    /** Always written with its {@code tier} field, so even an unlimited user's hash exists and l:d is not used. */
    public Uni<Void> publishUser(QuotaRepository.UserQuota user, TierTable tiers) {
        return redis.writeLimits(QuotaKeys.userLimits(redis.prefix(), user.userId()), tiers.effective(user),
                tiers.tierOf(user));
    }

    /** A key without limits has no hash (reserve.lua then checks only its user). */
    public Uni<Void> publishKey(QuotaRepository.KeyQuota key) {
        return redis.writeLimits(QuotaKeys.keyLimits(redis.prefix(), key.keyId()), key.limits(), null);
    }

    public Uni<Void> removeKey(String keyId) {
        return redis.delete(QuotaKeys.keyLimits(redis.prefix(), keyId));
    }

    /** After a tier changed: {@code l:d} if it is the default, and every user measured by it. */
    public Uni<Void> tierChanged(String tier) {
        boolean isDefault = tier.equals(defaultTier);
        return tierTable().onItem().transformToUni(tiers -> {
            Uni<Void> first = isDefault ? publishDefault(tiers) : Uni.createFrom().voidItem();
            return first.onItem().transformToUni(v -> repository.users(tier, isDefault))
                    .onItem().transformToUni(users -> each(users, u -> publishUser(u, tiers)));
        });
    }

    static <T> Uni<Void> each(List<T> items, Function<T, Uni<Void>> write) {
        if (items.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(items).onItem().transformToUni(item -> write.apply(item)).merge(CONCURRENCY)
                .collect().last().replaceWithVoid();
    }
}
