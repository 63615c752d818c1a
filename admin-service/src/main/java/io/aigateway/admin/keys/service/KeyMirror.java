package io.aigateway.admin.keys.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.ApiKeyRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.keys.ReactiveKeyScanCursor;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The Redis mirror of live keys: {@code <prefix><sha256hex>} → JSON {@link ApiKeyRecord}, expiring with the key
 * and at the latest after {@code aigw.keys.mirror-ttl} (the repair job refreshes it), plus the revocation channel
 * the edges listen to. Redis only holds what PostgreSQL can rebuild, so a Redis failure is logged and counted,
 * never propagated: every write completes with {@code true} (done) or {@code false} (Redis unavailable).
 */
@ApplicationScoped
public class KeyMirror {

    private static final Logger LOG = Logger.getLogger(KeyMirror.class);

    private final ReactiveValueCommands<String, String> values;
    private final ReactiveKeyCommands<String> keys;
    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper mapper;
    private final Duration timeout;
    private final long mirrorTtlMs;
    private final String prefix;
    private final String channel;
    private final int scanCount;
    private final Counter failures;
    /** Hashes revoked while a full re-mirror runs: deleted again when it ends, so it cannot resurrect them. */
    private final Set<String> revokedDuringSync = ConcurrentHashMap.newKeySet();
    private final AtomicInteger syncsRunning = new AtomicInteger();

    public KeyMirror(ReactiveRedisDataSource redis, ObjectMapper mapper, KeysConfig config, MeterRegistry registry) {
        this.values = redis.value(String.class, String.class);
        this.keys = redis.key(String.class);
        this.pubsub = redis.pubsub(String.class);
        this.mapper = mapper;
        this.timeout = config.redisTimeout();
        this.mirrorTtlMs = config.mirrorTtl().toMillis();
        this.prefix = config.mirrorPrefix();
        this.channel = config.revocationChannel();
        this.scanCount = Math.max(1, config.mirrorScanCount());
        this.failures = Counter.builder("aigw.admin.key.mirror.failures")
                .description("Redis mirror writes, deletes, scans or revocation messages of API keys that failed")
                .register(registry);
    }

    /** The Redis key of a key hash's mirror entry. */
    public String redisKey(String keyHash) {
        return prefix + keyHash;
    }

    /**
     * Writes (or overwrites) the mirror of one live key with a TTL of {@code mirror-ttl}, or less when the key
     * expires sooner; an already expired key is removed instead.
     */
    public Uni<Boolean> put(String keyHash, ApiKeyRecord record) {
        long ttlMs = mirrorTtlMs;
        if (record.expiresAtEpochMs() != null) {
            long untilExpiry = record.expiresAtEpochMs() - Instant.now().toEpochMilli();
            if (untilExpiry <= 0) {
                return remove(keyHash, record.keyId());
            }
            ttlMs = Math.min(ttlMs, untilExpiry);
        }
        String json;
        try {
            json = mapper.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            LOG.errorf("Cannot serialize the mirror of key %s: %s", record.keyId(), e.getOriginalMessage());
            return Uni.createFrom().item(false);
        }
        return guard(values.set(redisKey(keyHash), json, new SetArgs().px(ttlMs)), "write", record.keyId());
    }

    /** Deletes the mirror of a key (revoked or expired). */
    public Uni<Boolean> remove(String keyHash, String keyId) {
        if (syncsRunning.get() > 0) {
            revokedDuringSync.add(keyHash);
        }
        return guard(keys.del(redisKey(keyHash)), "delete", keyId);
    }

    /**
     * Publishes the hash on the revocation channel: every edge instance drops it from its local cache and stops
     * trusting the mirror for it for a while (see the edge's {@code KeyRevocationListener}).
     */
    public Uni<Boolean> publishRevoked(String keyHash, String keyId) {
        return guard(pubsub.publish(channel, keyHash), "revocation message", keyId);
    }

    /**
     * Walks the mirror with {@code SCAN MATCH <prefix>* COUNT n} (never {@code KEYS}) and hands each batch of
     * hashes to {@code check}, which answers how many entries it removed. Fails when Redis does.
     */
    public Uni<Integer> scanHashes(Function<List<String>, Uni<Integer>> check) {
        ReactiveKeyScanCursor<String> cursor = keys.scan(new KeyScanArgs().match(globEscape(prefix) + "*").count(scanCount));
        return scanFrom(cursor, check, 0);
    }

    private Uni<Integer> scanFrom(ReactiveKeyScanCursor<String> cursor, Function<List<String>, Uni<Integer>> check,
                                  int removed) {
        if (!cursor.hasNext()) {
            return Uni.createFrom().item(removed);
        }
        return cursor.next()
                .ifNoItem().after(timeout).fail()
                .onFailure().invoke(t -> failures.increment())
                .flatMap(batch -> batch.isEmpty() ? Uni.createFrom().item(0)
                        : check.apply(batch.stream().map(k -> k.substring(prefix.length())).toList()))
                .flatMap(n -> scanFrom(cursor, check, removed + n));
    }

    /** Deletes the mirror entries of these hashes at once; the number Redis removed (0 when Redis failed). */
    public Uni<Integer> removeAll(Collection<String> keyHashes) {
        if (keyHashes.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String[] redisKeys = keyHashes.stream().map(this::redisKey).toArray(String[]::new);
        return keys.del(redisKeys)
                .ifNoItem().after(timeout).fail()
                .onFailure().recoverWithItem(t -> {
                    failures.increment();
                    LOG.warnf("Redis mirror delete of %d stale entries failed: %s", redisKeys.length,
                            t.getClass().getSimpleName());
                    return 0;
                });
    }

    /** Marks the start of a full re-mirror (see {@link #endSync()}). */
    public void beginSync() {
        syncsRunning.incrementAndGet();
    }

    /** Ends a full re-mirror: deletes again every key revoked while it ran. */
    public Uni<Void> endSync() {
        if (syncsRunning.decrementAndGet() > 0 || revokedDuringSync.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] redisKeys = revokedDuringSync.stream().map(this::redisKey).toArray(String[]::new);
        revokedDuringSync.clear();
        return guard(keys.del(redisKeys), "delete", redisKeys.length + " revoked keys").replaceWithVoid();
    }

    private Uni<Boolean> guard(Uni<?> op, String what, String keyId) {
        return op.ifNoItem().after(timeout).fail()
                .replaceWith(Boolean.TRUE)
                .onFailure().recoverWithItem(t -> {
                    failures.increment();
                    LOG.warnf("Redis mirror %s failed for %s (repaired by the next mirror repair run): %s",
                            what, keyId, t.getClass().getSimpleName());
                    return Boolean.FALSE;
                });
    }

    /** Escapes Redis glob characters so that the prefix matches literally. */
    static String globEscape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
