package io.aigateway.admin.keys.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.ApiKeyRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Redis mirror of live keys: {@code aigw:key:<sha256hex>} → JSON {@link ApiKeyRecord}, expiring with the key.
 * Redis only holds what PostgreSQL can rebuild, so a Redis failure is logged and counted, never propagated:
 * every method completes with {@code true} (written) or {@code false} (Redis unavailable).
 */
@ApplicationScoped
public class KeyMirror {

    private static final Logger LOG = Logger.getLogger(KeyMirror.class);

    private final ReactiveValueCommands<String, String> values;
    private final ReactiveKeyCommands<String> keys;
    private final ObjectMapper mapper;
    private final Duration timeout;
    private final Counter failures;
    /** Hashes revoked while a full re-mirror runs: deleted again when it ends, so it cannot resurrect them. */
    private final Set<String> revokedDuringSync = ConcurrentHashMap.newKeySet();
    private final AtomicInteger syncsRunning = new AtomicInteger();

    public KeyMirror(ReactiveRedisDataSource redis, ObjectMapper mapper, KeysConfig config, MeterRegistry registry) {
        this.values = redis.value(String.class, String.class);
        this.keys = redis.key(String.class);
        this.mapper = mapper;
        this.timeout = config.redisTimeout();
        this.failures = Counter.builder("aigw.admin.key.mirror.failures")
                .description("Redis mirror writes or deletes of API keys that failed (Redis unavailable)")
                .register(registry);
    }

    public static String redisKey(String keyHash) {
        return ApiKeyRecord.REDIS_PREFIX + keyHash;
    }

    /** Writes (or overwrites) the mirror of one live key; an already expired key is removed instead. */
    public Uni<Boolean> put(String keyHash, ApiKeyRecord record) {
        SetArgs args = new SetArgs();
        if (record.expiresAtEpochMs() != null) {
            long ttlMs = record.expiresAtEpochMs() - Instant.now().toEpochMilli();
            if (ttlMs <= 0) {
                return remove(keyHash, record.keyId());
            }
            args.px(ttlMs);
        }
        String json;
        try {
            json = mapper.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            LOG.errorf("Cannot serialize the mirror of key %s: %s", record.keyId(), e.getOriginalMessage());
            return Uni.createFrom().item(false);
        }
        return guard(values.set(redisKey(keyHash), json, args), "write", record.keyId());
    }

    /** Deletes the mirror of a key (revoked or expired). */
    public Uni<Boolean> remove(String keyHash, String keyId) {
        if (syncsRunning.get() > 0) {
            revokedDuringSync.add(keyHash);
        }
        return guard(keys.del(redisKey(keyHash)), "delete", keyId);
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
        String[] redisKeys = revokedDuringSync.stream().map(KeyMirror::redisKey).toArray(String[]::new);
        revokedDuringSync.clear();
        return guard(keys.del(redisKeys), "delete", redisKeys.length + " revoked keys").replaceWithVoid();
    }

    private Uni<Boolean> guard(Uni<?> op, String what, String keyId) {
        return op.ifNoItem().after(timeout).fail()
                .replaceWith(Boolean.TRUE)
                .onFailure().recoverWithItem(t -> {
                    failures.increment();
                    LOG.warnf("Redis mirror %s failed for %s (the edge falls back to the internal lookup): %s",
                            what, keyId, t.getClass().getSimpleName());
                    return Boolean.FALSE;
                });
    }
}
