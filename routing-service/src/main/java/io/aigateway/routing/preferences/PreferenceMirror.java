package io.aigateway.routing.preferences;

import io.aigateway.routing.route.UserPreferences;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Redis mirror of each user's preferences: hash {@code <prefix><userId>}, field {@code context} → {@code provider/model},
 * plus field {@code @} = the PostgreSQL version it reflects (present = the mirror is complete: a user without
 * preferences is a hash holding only {@code @}). Rebuildable at any time from PostgreSQL; expires after {@code mirror-ttl}.
 * A write replaces the hash only when its version is not older than the stored one, so concurrent refills and
 * changes converge on the newest state.
 */
@ApplicationScoped
public class PreferenceMirror {

    /** Field holding the version; contexts match {@code [a-z0-9_-]{1,32}} and can never be {@code @}. */
    static final String VERSION_FIELD = "@";

    private static final String WRITE_IF_NEWER = """
            local cur = redis.call('HGET', KEYS[1], '@')
            if cur and tonumber(cur) > tonumber(ARGV[2]) then return 0 end
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], '@', ARGV[2], unpack(ARGV, 3))
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1""";

    private final ReactiveRedisDataSource redis;
    private final String prefix;
    private final long ttlMs;
    private final Duration timeout;

    public PreferenceMirror(ReactiveRedisDataSource redis, PreferencesConfig config) {
        this.redis = redis;
        this.prefix = config.redisPrefix();
        this.ttlMs = config.mirrorTtl().toMillis();
        this.timeout = config.redisTimeout();
    }

    public String key(String userId) {
        return prefix + userId;
    }

    /** @return the user's preferences, or null on a miss (no complete mirror); fails when Redis does not answer in time */
    public Uni<UserPreferences> read(String userId) {
        return redis.hash(String.class).hgetall(key(userId))
                .ifNoItem().after(timeout).fail()
                .map(PreferenceMirror::parse);
    }

    static UserPreferences parse(Map<String, String> hash) {
        if (hash == null || !hash.containsKey(VERSION_FIELD)) {
            return null;
        }
        if (hash.size() == 1) {
            return UserPreferences.NONE;
        }
        Map<String, String> byContext = new HashMap<>(hash);
        byContext.remove(VERSION_FIELD);
        return new UserPreferences(byContext);
    }

    /** Writes {@code snapshot} unless the mirror already holds a newer version. @return whether it was written */
    public Uni<Boolean> write(String userId, PreferenceRepository.Snapshot snapshot) {
        List<String> args = new ArrayList<>(6 + snapshot.preferences().size() * 2);
        args.add(WRITE_IF_NEWER);
        args.add("1");
        args.add(key(userId));
        args.add(Long.toString(ttlMs));
        args.add(Long.toString(snapshot.version()));
        for (Preference p : snapshot.preferences()) {
            args.add(p.context());
            args.add(p.key());
        }
        return redis.execute("EVAL", args.toArray(String[]::new))
                .ifNoItem().after(timeout).fail()
                .map(r -> r != null && r.toLong() == 1L);
    }

    public static UserPreferences toPreferences(PreferenceRepository.Snapshot snapshot) {
        if (snapshot.preferences().isEmpty()) {
            return UserPreferences.NONE;
        }
        Map<String, String> byContext = new HashMap<>();
        for (Preference p : snapshot.preferences()) {
            byContext.put(p.context(), p.key());
        }
        return new UserPreferences(byContext);
    }
}
