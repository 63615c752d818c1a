package io.aigateway.usage.quota.service;

import io.aigateway.contracts.quota.QuotaKeys;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.usage.config.QuotaConfig;
import io.aigateway.usage.quota.redis.QuotaRedis;
import io.aigateway.usage.quota.repository.CounterSums;
import io.aigateway.usage.quota.repository.QuotaRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps Redis filled from PostgreSQL, the source of truth: every limit, and the used counters of the current minute,
 * day and month of every limited subject with records this month; then {@code ready}, which tells the edge to
 * enforce. Runs at start, whenever {@code ready} is missing (a flush, a new Redis: the edge then applies only its
 * local limit, so this is checked every second), and every {@code reconcile-interval} to correct drift.
 * A load after a flush sets the counters to PostgreSQL's sums; any other load only raises them, because PostgreSQL
 * lags Kafka (settle.lua has counted requests whose events are not stored yet): only an admin reset lowers a counter.
 * Replicas take a Redis lock first, so one loads at a time. Redis down: logged, retried on the next tick; the
 * service stays ready (the hot path does not depend on it).
 */
@ApplicationScoped
public class QuotaLoader {

    private static final Logger LOG = Logger.getLogger(QuotaLoader.class);

    private final QuotaRepository repository;
    private final CounterSums sums;
    private final QuotaRedis redis;
    private final LimitsPublisher publisher;
    private final boolean cacheHitTokens;
    private final AtomicBoolean loading = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile boolean loadedOnce;
    /** The token of our own lock that could not be released (Redis went away mid-load): released before the next. */
    private volatile String unreleased;

    public QuotaLoader(QuotaRepository repository, CounterSums sums, QuotaRedis redis, LimitsPublisher publisher,
                       QuotaConfig config) {
        this.repository = repository;
        this.sums = sums;
        this.redis = redis;
        this.publisher = publisher;
        this.cacheHitTokens = config.cacheHitTokens();
    }

    /** What one load wrote. */
    public record Result(boolean loaded, int limits, int counters, long millis) {
        static final Result SKIPPED = new Result(false, 0, 0, 0);
    }

    @Scheduled(identity = "quota-ready-check", every = "${aigw.quota.ready-check-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> checkReady() {
        return redis.isReady()
                .onItem().transformToUni(ready -> !ready || !loadedOnce ? load(ready) : Uni.createFrom().item(Result.SKIPPED))
                .onItemOrFailure().transformToUni((r, e) -> logOutcome(e));
    }

    @Scheduled(identity = "quota-reconcile", every = "${aigw.quota.reconcile-interval:5m}",
            delayed = "${aigw.quota.reconcile-interval:5m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> reconcile() {
        return load(true).onItemOrFailure().transformToUni((r, e) -> logOutcome(e));
    }

    /**
     * Asks for a load on the next ready-check tick (within {@code ready-check-interval}): an API change reached
     * PostgreSQL but its Redis write failed, so Redis must not wait for the next reconcile to catch up.
     */
    public void markStale() {
        loadedOnce = false;
    }

    /**
     * Loads limits and counters; {@code onlyRaise} false sets the counters to the sums (after a flush). Skipped
     * (not loaded) while another load of this replica or of another one runs.
     */
    public Uni<Result> load(boolean onlyRaise) {
        if (!loading.compareAndSet(false, true)) {
            return Uni.createFrom().item(Result.SKIPPED);
        }
        long started = System.nanoTime();
        return releaseUnreleased().chain(redis::tryLock)
                .onItem().transformToUni(token -> {
                    if (token == null) {
                        return Uni.createFrom().item(Result.SKIPPED);
                    }
                    return loadLocked(onlyRaise, started)
                            .call(r -> redis.unlock(token))
                            .onFailure().call(e -> redis.unlock(token)
                                    .onFailure().invoke(x -> unreleased = token).onFailure().recoverWithNull());
                })
                .eventually(() -> loading.set(false));
    }

    /**
     * Without this, a load cut off by a Redis outage would leave our own lock behind and every load of every replica
     * would wait out its TTL after Redis came back.
     */
    private Uni<Void> releaseUnreleased() {
        String token = unreleased;
        if (token == null) {
            return Uni.createFrom().voidItem();
        }
        return redis.unlock(token).invoke(() -> unreleased = null).onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Result> loadLocked(boolean onlyRaise, long started) {
        Instant now = Instant.now();
        return publisher.tierTable().onItem().transformToUni(tiers -> repository.users(null, false)
                .onItem().transformToUni(users -> repository.keys()
                        .onItem().transformToUni(keys -> writeLimits(tiers, users, keys)
                                .onItem().transformToUni(limits -> writeCounters(tiers, users, keys, now, onlyRaise)
                                        .onItem().transformToUni(counters -> redis.setReady()
                                                .map(v -> {
                                                    loadedOnce = true;
                                                    long ms = (System.nanoTime() - started) / 1_000_000;
                                                    LOG.infof("Quota %s: %d limit hashes, %d subjects' counters in %d ms",
                                                            onlyRaise ? "reconcile" : "load", limits, counters, ms);
                                                    return new Result(true, limits, counters, ms);
                                                }))))));
    }

    private Uni<Integer> writeLimits(TierTable tiers, List<QuotaRepository.UserQuota> users,
                                     List<QuotaRepository.KeyQuota> keys) {
        if (!tiers.hasDefault()) {
            LOG.warnf("Default quota tier '%s' does not exist: users without a quota row are unlimited",
                    LogSafe.escape(tiers.defaultTier(), 64));
        }
        Set<String> expected = new HashSet<>();
        users.forEach(u -> expected.add(QuotaKeys.userLimits(redis.prefix(), u.userId())));
        keys.forEach(k -> expected.add(QuotaKeys.keyLimits(redis.prefix(), k.keyId())));
        return publisher.publishDefault(tiers)
                .onItem().transformToUni(v -> LimitsPublisher.each(users, u -> publisher.publishUser(u, tiers)))
                .onItem().transformToUni(v -> LimitsPublisher.each(keys, publisher::publishKey))
                .onItem().transformToUni(v -> removeStale(expected))
                .map(v -> 1 + users.size() + keys.size());
    }

    /** Limit hashes of users and keys whose rows are gone (e.g. a key's DEL lost while Redis was down). */
    private Uni<Void> removeStale(Set<String> expected) {
        return redis.scan("l:u:").onItem().transformToUni(userKeys -> redis.scan("l:k:")
                .onItem().transformToUni(keyKeys -> {
                    List<String> stale = new ArrayList<>();
                    userKeys.stream().filter(k -> !expected.contains(k)).forEach(stale::add);
                    keyKeys.stream().filter(k -> !expected.contains(k)).forEach(stale::add);
                    return LimitsPublisher.each(stale, redis::delete);
                }));
    }

    private Uni<Integer> writeCounters(TierTable tiers, List<QuotaRepository.UserQuota> users,
                                       List<QuotaRepository.KeyQuota> keys, Instant now, boolean onlyRaise) {
        Map<String, QuotaRepository.UserQuota> userRows = new HashMap<>();
        users.forEach(u -> userRows.put(u.userId(), u));
        Set<String> limitedKeys = new HashSet<>();
        keys.stream().filter(k -> !k.limits().isEmpty()).forEach(k -> limitedKeys.add(k.keyId()));
        return sums.users(now, cacheHitTokens).onItem().transformToUni(userSums -> sums.keys(now, cacheHitTokens)
                .onItem().transformToUni(keySums -> {
                    List<Map.Entry<String, CounterSums.Windows>> writes = new ArrayList<>();
                    userSums.forEach((id, w) -> {
                        if (!tiers.effective(userRows.get(id)).isEmpty()) {
                            writes.add(Map.entry(QuotaKeys.userSubject(id), w));
                        }
                    });
                    keySums.forEach((id, w) -> {
                        if (limitedKeys.contains(id)) {
                            writes.add(Map.entry(QuotaKeys.keySubject(id), w));
                        }
                    });
                    return LimitsPublisher.each(writes,
                                    e -> redis.writeCounters(e.getKey(), now, e.getValue(), onlyRaise))
                            .map(v -> writes.size());
                }));
    }

    private Uni<Void> logOutcome(Throwable failure) {
        if (failure == null) {
            if (failing.compareAndSet(true, false)) {
                LOG.info("Quota load works again");
            }
        } else if (failing.compareAndSet(false, true)) {
            LOG.warnf("Quota load failed, retried on the next tick: %s", LogSafe.escape(failure));
        } else {
            LOG.debugf("Quota load still failing: %s", LogSafe.escape(failure));
        }
        return Uni.createFrom().voidItem();
    }
}
