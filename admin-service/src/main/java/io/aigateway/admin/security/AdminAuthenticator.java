package io.aigateway.admin.security;

import io.aigateway.admin.keys.service.ApiKeyService;
import io.aigateway.admin.keys.service.KeyRevoked;
import io.aigateway.admin.keys.service.KeysConfig;
import io.aigateway.contracts.internal.ApiKeyRecord;
import io.aigateway.contracts.internal.KeyHashing;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a presented API key to its live {@link ApiKeyRecord} (PostgreSQL, behind a tiny local cache:
 * positive and negative entries expire quickly, a revocation on this instance drops its entry at once).
 */
@ApplicationScoped
public class AdminAuthenticator {

    private record Entry(ApiKeyRecord record, long expiresAtNanos) {
    }

    private final ApiKeyService keys;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final long negativeTtlNanos;
    private final int maxSize;

    public AdminAuthenticator(ApiKeyService keys, KeysConfig config) {
        this.keys = keys;
        this.ttlNanos = config.authCacheTtl().toNanos();
        this.negativeTtlNanos = config.authCacheNegativeTtl().toNanos();
        this.maxSize = config.authCacheSize();
    }

    /** The live record of this key, or empty when the key is unknown, revoked or expired. */
    public Uni<Optional<ApiKeyRecord>> authenticate(String presentedKey) {
        if (!KeyHashing.looksLikeKey(presentedKey)) {
            return Uni.createFrom().item(Optional.empty());
        }
        String hash = KeyHashing.sha256Hex(presentedKey);
        long now = System.nanoTime();
        Entry cached = cache.get(hash);
        if (cached != null && cached.expiresAtNanos - now > 0) {
            ApiKeyRecord record = cached.record;
            if (record != null && record.expired(System.currentTimeMillis())) {
                cache.remove(hash);
                return Uni.createFrom().item(Optional.empty());
            }
            return Uni.createFrom().item(Optional.ofNullable(record));
        }
        return keys.findLive(hash).map(record -> {
            if (cache.size() >= maxSize) {
                cache.clear();
            }
            cache.put(hash, new Entry(record, System.nanoTime() + (record == null ? negativeTtlNanos : ttlNanos)));
            return Optional.ofNullable(record);
        });
    }

    void onRevoked(@Observes KeyRevoked event) {
        cache.remove(event.keyHash());
    }
}
