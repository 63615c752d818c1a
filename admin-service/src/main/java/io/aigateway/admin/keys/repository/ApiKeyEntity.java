package io.aigateway.admin.keys.repository;

import io.aigateway.contracts.internal.ApiKeyRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** One row of {@code admin.api_keys}. Holds the key's SHA-256 hash, never the key or any part of it. */
@Entity
@Table(name = "api_keys", schema = "admin")
// Named queries are parsed once when Hibernate starts, never on the event loop of a request.
@NamedQuery(name = ApiKeyEntity.FIND_LIVE_BY_HASH, query = "from ApiKeyEntity where keyHash = :hash "
        + "and revokedAt is null and (expiresAt is null or expiresAt > :now)")
@NamedQuery(name = ApiKeyEntity.LIST_LIVE, query = "from ApiKeyEntity where revokedAt is null "
        + "and (expiresAt is null or expiresAt > :now)")
@NamedQuery(name = ApiKeyEntity.LIVE_AMONG, query = "from ApiKeyEntity where keyHash in :hashes "
        + "and revokedAt is null and (expiresAt is null or expiresAt > :now)")
@NamedQuery(name = ApiKeyEntity.LIST_ALL, query = "from ApiKeyEntity order by createdAt desc, keyId")
@NamedQuery(name = ApiKeyEntity.LIST_BY_USER, query = "from ApiKeyEntity where userId = :userId "
        + "order by createdAt desc, keyId")
@NamedQuery(name = ApiKeyEntity.COUNT_LIVE_BY_USER, query = "select count(k) from ApiKeyEntity k "
        + "where k.userId = :userId and k.revokedAt is null and (k.expiresAt is null or k.expiresAt > :now)")
public class ApiKeyEntity {

    public static final String FIND_LIVE_BY_HASH = "ApiKeyEntity.findLiveByHash";
    public static final String LIST_LIVE = "ApiKeyEntity.listLive";
    public static final String LIVE_AMONG = "ApiKeyEntity.liveAmong";
    public static final String LIST_ALL = "ApiKeyEntity.listAll";
    public static final String LIST_BY_USER = "ApiKeyEntity.listByUser";
    public static final String COUNT_LIVE_BY_USER = "ApiKeyEntity.countLiveByUser";

    @Id
    @Column(name = "key_id", nullable = false, updatable = false)
    private String keyId;

    @Column(name = "key_hash", nullable = false, updatable = false, columnDefinition = "char(64)")
    private String keyHash;

    @Column(name = "name")
    private String name;

    @Column(name = "user_id", nullable = false, updatable = false)
    private String userId;

    /** Comma-separated, sorted role names. */
    @Column(name = "roles", nullable = false)
    private String roles;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "expires_at")
    private Instant expiresAt;

    public ApiKeyEntity() {
    }

    public ApiKeyEntity(String keyId, String keyHash, String name, String userId, Collection<String> roles,
                        Instant createdAt, Instant expiresAt) {
        this.keyId = keyId;
        this.keyHash = keyHash;
        this.name = name;
        this.userId = userId;
        this.roles = String.join(",", new TreeSet<>(roles));
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public String getKeyId() {
        return keyId;
    }

    public String getKeyHash() {
        return keyHash;
    }

    public String getName() {
        return name;
    }

    public String getUserId() {
        return userId;
    }

    public String getRoles() {
        return roles;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }

    public void setRevokedAt(Instant revokedAt) {
        this.revokedAt = revokedAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public List<String> roleList() {
        return roles == null || roles.isEmpty() ? List.of() : Arrays.asList(roles.split(","));
    }

    public Set<String> roleSet() {
        return new LinkedHashSet<>(roleList());
    }

    public boolean live(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    /** The form the edge needs (Redis mirror and internal lookup). */
    public ApiKeyRecord toRecord() {
        return new ApiKeyRecord(keyId, userId, roleSet(), expiresAt == null ? null : expiresAt.toEpochMilli());
    }
}
