package io.aigateway.admin.keys.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Reactive access to {@code admin.api_keys} (named queries only); callers provide the session or transaction. */
@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKeyEntity, String> {

    public Uni<ApiKeyEntity> findLiveByHash(String keyHash, Instant now) {
        return find("#" + ApiKeyEntity.FIND_LIVE_BY_HASH, Parameters.with("hash", keyHash).and("now", now))
                .firstResult();
    }

    public Uni<List<ApiKeyEntity>> listLive(Instant now) {
        return list("#" + ApiKeyEntity.LIST_LIVE, Parameters.with("now", now));
    }

    /** The live keys among these hashes (a batch of the mirror repair). */
    public Uni<List<ApiKeyEntity>> liveAmong(Collection<String> hashes, Instant now) {
        return list("#" + ApiKeyEntity.LIVE_AMONG, Parameters.with("hashes", hashes).and("now", now));
    }

    public Uni<List<ApiKeyEntity>> listNewestFirst(String userId, int limit) {
        if (userId == null) {
            return find("#" + ApiKeyEntity.LIST_ALL).page(Page.ofSize(limit)).list();
        }
        return find("#" + ApiKeyEntity.LIST_BY_USER, Parameters.with("userId", userId))
                .page(Page.ofSize(limit)).list();
    }

    /** How many live (not revoked, not expired) keys this user has. */
    public Uni<Long> countLive(String userId, Instant now) {
        return getSession().flatMap(s -> s.createNamedQuery(ApiKeyEntity.COUNT_LIVE_BY_USER, Long.class)
                .setParameter("userId", userId).setParameter("now", now).getSingleResult());
    }

    /**
     * Serialises the key creations of one user until the end of the current transaction (a PostgreSQL advisory
     * transaction lock on the user id), so that two concurrent creations cannot both pass the per-user limit.
     */
    public Uni<Void> lockUser(String userId) {
        return getSession().flatMap(s -> s.createNativeQuery(
                        "select count(*) from (select pg_advisory_xact_lock(hashtext(:userId))) l", Long.class)
                .setParameter("userId", userId).getSingleResult()).replaceWithVoid();
    }
}
