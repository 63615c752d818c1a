package io.aigateway.admin.keys.service;

import io.aigateway.admin.keys.repository.ApiKeyEntity;
import io.aigateway.admin.keys.repository.ApiKeyRepository;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.ApiKeyRecord;
import io.aigateway.contracts.internal.KeyHashing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * API keys: issue (the plaintext key is returned once and only its SHA-256 hash is stored), look up, list,
 * revoke, and keep the Redis mirror in step. PostgreSQL is the source of truth; Redis is written after commit.
 */
@ApplicationScoped
public class ApiKeyService {

    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final int MIRROR_CONCURRENCY = 16;

    private final ApiKeyRepository repository;
    private final KeyMirror mirror;
    private final Event<KeyRevoked> revokedEvents;
    private final SecureRandom random = new SecureRandom();
    private final Counter created;
    private final Counter revoked;
    private final Counter pruned;

    public ApiKeyService(ApiKeyRepository repository, KeyMirror mirror, Event<KeyRevoked> revokedEvents,
                         MeterRegistry registry) {
        this.repository = repository;
        this.mirror = mirror;
        this.revokedEvents = revokedEvents;
        this.created = Counter.builder("aigw.admin.keys.created").register(registry);
        this.revoked = Counter.builder("aigw.admin.keys.revoked").register(registry);
        this.pruned = Counter.builder("aigw.admin.key.mirror.pruned")
                .description("Stale Redis mirror entries removed by the mirror repair").register(registry);
    }

    /** An issued key: the plaintext {@code key} is in this object only, never persisted or logged. */
    public record IssuedKey(String key, ApiKeyEntity entity) {
    }

    public Uni<IssuedKey> create(NewKey request) {
        return issue(request, null);
    }

    /**
     * Issues a key unless its user already has {@code maxLive} live keys (409 {@code too_many_keys}); the count
     * and the insert run in one transaction that holds the user's lock, so concurrent creations cannot pass it.
     */
    public Uni<IssuedKey> createLimited(NewKey request, int maxLive) {
        return issue(request, maxLive);
    }

    private Uni<IssuedKey> issue(NewKey request, Integer maxLive) {
        String key = KeyHashing.newKey();
        // PostgreSQL keeps microseconds: truncate so that the answer equals what a later read returns.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant expiresAt = request.expiresAt() == null ? null : request.expiresAt().truncatedTo(ChronoUnit.MICROS);
        ApiKeyEntity entity = new ApiKeyEntity(newKeyId(), KeyHashing.sha256Hex(key), request.name(),
                request.userId(), request.roles(), now, expiresAt);
        return Panache.withTransaction(() -> checkLimit(request.userId(), maxLive, now)
                        .flatMap(ignored -> repository.persist(entity)))
                .call(saved -> mirror.put(saved.getKeyHash(), saved.toRecord()))
                .map(saved -> {
                    created.increment();
                    LOG.infof("Created key %s for user %s with roles %s", saved.getKeyId(), saved.getUserId(),
                            saved.getRoles());
                    return new IssuedKey(key, saved);
                });
    }

    private Uni<Void> checkLimit(String userId, Integer maxLive, Instant now) {
        if (maxLive == null) {
            return Uni.createFrom().voidItem();
        }
        return repository.lockUser(userId)
                .flatMap(locked -> repository.countLive(userId, now))
                .invoke(live -> {
                    if (live >= maxLive) {
                        throw tooManyKeys(maxLive).exception();
                    }
                })
                .replaceWithVoid();
    }

    static ApiError tooManyKeys(int maxLive) {
        return new ApiError(409, "invalid_request_error", "too_many_keys", null,
                "At most " + maxLive + " active API keys per user: revoke one first.", null)
                .withHeader("x-should-retry", "false");
    }

    /** The live key with this hash, or null (unknown, revoked, expired). Malformed hashes are simply unknown. */
    @WithSession
    public Uni<ApiKeyRecord> findLive(String keyHash) {
        if (keyHash == null || !HASH.matcher(keyHash).matches()) {
            return Uni.createFrom().nullItem();
        }
        return repository.findLiveByHash(keyHash, Instant.now())
                .map(e -> e == null ? null : e.toRecord());
    }

    @WithSession
    public Uni<List<ApiKeyEntity>> list(String userId, int limit) {
        return repository.listNewestFirst(userId, limit);
    }

    /** Revokes a key (idempotent) and removes its mirror; 404 when the key ID is unknown. */
    public Uni<Void> revoke(String keyId) {
        return revoke(keyId, null);
    }

    /**
     * Revokes a key of this owner (idempotent), exactly as {@link #revoke(String)}; 404, the same answer as for an
     * unknown key ID, when the key belongs to someone else. A null owner means any owner (admins).
     */
    public Uni<Void> revoke(String keyId, String owner) {
        return Panache.withTransaction(() -> repository.findById(keyId)
                        .map(e -> e == null || owner != null && !owner.equals(e.getUserId()) ? null : e)
                        .onItem().ifNull().failWith(() -> ApiError.notFound("No API key with id '" + keyId + "'.")
                                .exception())
                        .map(e -> {
                            boolean changed = e.getRevokedAt() == null;
                            if (changed) {
                                e.setRevokedAt(Instant.now().truncatedTo(ChronoUnit.MICROS));
                            }
                            return new Revocation(e, changed);
                        }))
                // Delete the mirror even when already revoked: a previous delete may have failed. PostgreSQL is
                // the truth: a failed delete or message never fails the revocation; the edges are told anyway
                // (they then stop trusting the mirror for this key), and the repair job removes a stale entry.
                .call(r -> mirror.remove(r.entity().getKeyHash(), r.entity().getKeyId()))
                .call(r -> mirror.publishRevoked(r.entity().getKeyHash(), r.entity().getKeyId()))
                .invoke(r -> {
                    revokedEvents.fire(new KeyRevoked(r.entity().getKeyId(), r.entity().getKeyHash()));
                    if (r.changed()) {
                        revoked.increment();
                        LOG.infof("Revoked key %s of user %s", r.entity().getKeyId(), r.entity().getUserId());
                    }
                })
                .replaceWithVoid();
    }

    private record Revocation(ApiKeyEntity entity, boolean changed) {
    }

    /** One repair run: {@link #pruneMirror()}, then {@link #remirrorAll()}; the numbers removed and written. */
    public Uni<MirrorRepair> repairMirror() {
        return pruneMirror().flatMap(removed -> remirrorAll().map(written -> new MirrorRepair(removed, written)));
    }

    /** What a repair run did. */
    public record MirrorRepair(int removed, int written) {
    }

    /**
     * Removes every mirror entry whose hash PostgreSQL does not have as a live key (revoked, expired, deleted, or
     * not a hash at all): SCANs the mirror and checks each batch with one query. The number of entries removed.
     */
    public Uni<Integer> pruneMirror() {
        return mirror.scanHashes(batch -> {
            List<String> wellFormed = batch.stream().filter(h -> HASH.matcher(h).matches()).distinct().toList();
            Uni<Set<String>> live = wellFormed.isEmpty() ? Uni.createFrom().item(Set.of())
                    : Panache.withSession(() -> repository.liveAmong(wellFormed, Instant.now()))
                    .map(list -> list.stream().map(ApiKeyEntity::getKeyHash).collect(Collectors.toSet()));
            return live.flatMap(liveHashes -> {
                List<String> stale = batch.stream().distinct().filter(h -> !liveHashes.contains(h)).toList();
                return mirror.removeAll(stale).invoke(n -> {
                    if (n > 0) {
                        pruned.increment(n);
                        LOG.infof("Removed %d stale mirror entries (keys revoked, expired or unknown)", n);
                    }
                });
            });
        });
    }

    /** Rewrites the mirror of every live key from PostgreSQL (refreshing its TTL); the number of keys written. */
    public Uni<Integer> remirrorAll() {
        mirror.beginSync();
        return Panache.withSession(() -> repository.listLive(Instant.now()))
                .onItem().transformToUni(list -> Multi.createFrom().iterable(list)
                        .onItem().transformToUni(e -> mirror.put(e.getKeyHash(), e.toRecord()))
                        .merge(MIRROR_CONCURRENCY)
                        .select().where(Boolean::booleanValue)
                        .collect().with(Collectors.counting()))
                .map(Long::intValue)
                .eventually(mirror::endSync);
    }

    private String newKeyId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return "key_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
