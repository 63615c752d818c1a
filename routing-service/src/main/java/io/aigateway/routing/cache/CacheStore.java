package io.aigateway.routing.cache;

import io.aigateway.support.redis.RedisOutageGate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cache's Redis layout (prefix {@code P}, default {@code aigw:cache:v1:}):
 * <ul>
 * <li>{@code P<sha256>} — one entry (a {@link CachedAnswer} as JSON) with its TTL;</li>
 * <li>{@code P idx:all} — sorted set of every entry key, scored by its expiry time (ms): key count, "all"
 *     invalidation and lazy detection of expirations, without {@code KEYS}/{@code SCAN} of the keyspace; invalidation
 *     by hash prefix walks it with {@code ZSCAN … MATCH};</li>
 * <li>{@code P idx:model:<model>}, {@code P idx:provider:<provider>} — sets of entry keys for invalidation by
 *     model (the model served and the model or group requested) and by provider; {@code P meta:indexes} names them;</li>
 * <li>{@code P meta:idx} — hash: entry key → JSON array of the index sets it is in, so that every removal (expiry
 *     sweep, invalidation, a store over the key) takes it out of all of them and they do not grow without bound;</li>
 * <li>{@code P meta:sizes} — bytes of each entry; {@code P meta:stats} — shared counters (hits, misses,
 *     bypasses, coalesced, stores, expirations, invalidations, bytes).</li>
 * </ul>
 * Every write that touches more than one key is one Lua script (atomic). Every call is bounded by the
 * request-path timeout and reports to the {@link RedisOutageGate}; failures are the caller's to tolerate.
 */
public final class CacheStore {

    /**
     * Lua prelude: {@code unindex(k, rec, idxs)} removes entry key {@code k} from the index sets recorded for it in
     * hash {@code rec} (and their names from {@code idxs} once empty), then drops the record.
     */
    static final String UNINDEX = """
            local function unindex(k, rec, idxs)
              local r = redis.call('HGET', rec, k)
              if r then
                for _, ix in ipairs(cjson.decode(r)) do
                  redis.call('SREM', ix, k)
                  if redis.call('EXISTS', ix) == 0 then redis.call('SREM', idxs, ix) end
                end
                redis.call('HDEL', rec, k)
              end
            end
            """;

    /** KEYS = entry, all, sizes, stats, indexes, records, index sets…; ARGV = value, ttl s, expiry ms, bytes, now ms, meta TTL s. An expired entry stored again counts as an expiration. */
    static final String STORE = UNINDEX + """
            local old = tonumber(redis.call('HGET', KEYS[3], KEYS[1]) or '0')
            local sc = redis.call('ZSCORE', KEYS[2], KEYS[1])
            if sc and tonumber(sc) <= tonumber(ARGV[5]) and redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('HINCRBY', KEYS[4], 'expirations', 1)
            end
            redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[3], KEYS[1])
            redis.call('HSET', KEYS[3], KEYS[1], ARGV[4])
            redis.call('HINCRBY', KEYS[4], 'bytes', tonumber(ARGV[4]) - old)
            redis.call('HINCRBY', KEYS[4], 'stores', 1)
            unindex(KEYS[1], KEYS[6], KEYS[5])
            local rec = {}
            for i = 7, #KEYS do
              redis.call('SADD', KEYS[i], KEYS[1])
              redis.call('SADD', KEYS[5], KEYS[i])
              if redis.call('TTL', KEYS[i]) < tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[i], ARGV[2]) end
              rec[#rec + 1] = KEYS[i]
            end
            if #rec > 0 then redis.call('HSET', KEYS[6], KEYS[1], cjson.encode(rec)) end
            for i = 2, 6 do redis.call('EXPIRE', KEYS[i], ARGV[6]) end
            return 1""";

    /** Drops entries: KEYS = all, sizes, stats, indexes, records; ARGV[1] = counter to increment, ARGV[2..] = entry keys. */
    static final String DROP = UNINDEX + """
            local freed, n = 0, 0
            for i = 2, #ARGV do
              local k = ARGV[i]
              n = n + redis.call('DEL', k)
              redis.call('ZREM', KEYS[1], k)
              unindex(k, KEYS[5], KEYS[4])
              local s = redis.call('HGET', KEYS[2], k)
              if s then freed = freed + tonumber(s); redis.call('HDEL', KEYS[2], k) end
            end
            if freed > 0 then redis.call('HINCRBY', KEYS[3], 'bytes', -freed) end
            if n > 0 then redis.call('HINCRBY', KEYS[3], ARGV[1], n) end
            return n""";

    /** Pops a batch of an index set and drops those entries (and takes them out of their other index sets): KEYS = all, sizes, stats, index, indexes, records; ARGV = batch. Returns {popped, dropped}. */
    static final String DROP_INDEX = UNINDEX + """
            local ks = redis.call('SPOP', KEYS[4], ARGV[1])
            local freed, n = 0, 0
            for _, k in ipairs(ks) do
              n = n + redis.call('DEL', k)
              redis.call('ZREM', KEYS[1], k)
              unindex(k, KEYS[6], KEYS[5])
              local s = redis.call('HGET', KEYS[2], k)
              if s then freed = freed + tonumber(s); redis.call('HDEL', KEYS[2], k) end
            end
            if freed > 0 then redis.call('HINCRBY', KEYS[3], 'bytes', -freed) end
            if n > 0 then redis.call('HINCRBY', KEYS[3], 'invalidations', n) end
            return {#ks, n}""";

    /** A batch of "all": KEYS = all, sizes, stats, indexes, records; ARGV = batch. Returns {taken, dropped}; the last batch removes the index sets and their records. */
    static final String DROP_ALL = """
            local ks = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
            local freed, n = 0, 0
            for _, k in ipairs(ks) do
              n = n + redis.call('DEL', k)
              redis.call('ZREM', KEYS[1], k)
              redis.call('HDEL', KEYS[5], k)
              local s = redis.call('HGET', KEYS[2], k)
              if s then freed = freed + tonumber(s); redis.call('HDEL', KEYS[2], k) end
            end
            if freed > 0 then redis.call('HINCRBY', KEYS[3], 'bytes', -freed) end
            if n > 0 then redis.call('HINCRBY', KEYS[3], 'invalidations', n) end
            if #ks < tonumber(ARGV[1]) then
              for _, idx in ipairs(redis.call('SMEMBERS', KEYS[4])) do redis.call('DEL', idx) end
              redis.call('DEL', KEYS[4])
              redis.call('DEL', KEYS[5])
            end
            return {#ks, n}""";

    /**
     * Sweeps index entries whose expiry passed (out of every index, sizes and records): KEYS = all, sizes, stats,
     * indexes, records; ARGV = now ms, batch. Returns {taken, expirations}.
     */
    static final String PRUNE = UNINDEX + """
            local ks = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
            local freed, n = 0, 0
            for _, k in ipairs(ks) do
              if redis.call('EXISTS', k) == 0 then
                n = n + 1
                redis.call('ZREM', KEYS[1], k)
                unindex(k, KEYS[5], KEYS[4])
                local s = redis.call('HGET', KEYS[2], k)
                if s then freed = freed + tonumber(s); redis.call('HDEL', KEYS[2], k) end
              end
            end
            if freed > 0 then redis.call('HINCRBY', KEYS[3], 'bytes', -freed) end
            if n > 0 then redis.call('HINCRBY', KEYS[3], 'expirations', n) end
            return {#ks, n}""";

    /** MEMORY USAGE of a few random entries: KEYS = all; ARGV = sample size. Returns {sampled, bytes}. */
    static final String SAMPLE = """
            local ks = redis.call('ZRANDMEMBER', KEYS[1], tonumber(ARGV[1]))
            local n, total = 0, 0
            for _, k in ipairs(ks) do
              local m = redis.call('MEMORY', 'USAGE', k)
              if m then n = n + 1; total = total + m end
            end
            return {n, total}""";

    /** KEYS = stats; ARGV = meta TTL s, then (field, delta)… */
    static final String INCR = """
            for i = 2, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            return 1""";

    /** Keys handled by one script call (invalidation and prune batches). */
    static final int BATCH = 500;

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final RedisOutageGate gate;
    private final Duration timeout;
    private final String prefix;
    private final String all;
    private final String sizes;
    private final String stats;
    private final String indexes;
    private final String records;
    private final long metaTtlSeconds;

    /**
     * @param metaTtlSeconds expiry of the index/size/counter keys, refreshed by every write: longer than any entry
     *                       lives, so they only go away once the cache has been unused that long
     */
    public CacheStore(ReactiveRedisDataSource redis, ObjectMapper mapper, RedisOutageGate gate, Duration timeout, String prefix,
                      long metaTtlSeconds) {
        this.metaTtlSeconds = metaTtlSeconds;
        this.redis = redis;
        this.mapper = mapper;
        this.gate = gate;
        this.timeout = timeout;
        this.prefix = prefix;
        this.all = prefix + "idx:all";
        this.sizes = prefix + "meta:sizes";
        this.stats = prefix + "meta:stats";
        this.indexes = prefix + "meta:indexes";
        this.records = prefix + "meta:idx";
    }

    public String prefix() {
        return prefix;
    }

    /** Redis key of an entry. */
    public String entryKey(String hash) {
        return prefix + hash;
    }

    public String modelIndex(String model) {
        return prefix + "idx:model:" + model;
    }

    public String providerIndex(String provider) {
        return prefix + "idx:provider:" + provider;
    }

    private Uni<Response> call(String command, String... args) {
        return guard(redis.execute(command, args));
    }

    private <T> Uni<T> guard(Uni<T> u) {
        return u.ifNoItem().after(timeout).fail()
                .onItem().invoke(r -> gate.success())
                .onFailure().invoke(gate::failure);
    }

    /** The entry, or null; fails when Redis fails. */
    public Uni<CachedAnswer> get(String hash) {
        return call("GET", entryKey(hash)).map(r -> {
            if (r == null) {
                return null;
            }
            try {
                CachedAnswer a = mapper.readValue(r.toBytes(), CachedAnswer.class);
                return a.v() == CachedAnswer.VERSION && a.body() != null ? a : null;
            } catch (Exception e) {
                return null; // unreadable entry: a miss (it is overwritten by the next store)
            }
        });
    }

    /** Serialises an answer (the bytes {@link #put} stores). */
    public byte[] serialise(CachedAnswer a) {
        try {
            return mapper.writeValueAsBytes(a);
        } catch (Exception e) {
            throw new IllegalStateException("cache entry not serialisable", e);
        }
    }

    /** Stores an entry and indexes it by each model and the provider. */
    public Uni<Void> put(String hash, byte[] value, long ttlSeconds, Set<String> models, String provider) {
        String key = entryKey(hash);
        Set<String> idx = new LinkedHashSet<>();
        for (String m : models) {
            if (m != null) {
                idx.add(modelIndex(m));
            }
        }
        if (provider != null) {
            idx.add(providerIndex(provider));
        }
        List<String> args = new ArrayList<>(16);
        args.add(STORE);
        args.add(Integer.toString(6 + idx.size()));
        args.add(key);
        args.add(all);
        args.add(sizes);
        args.add(stats);
        args.add(indexes);
        args.add(records);
        args.addAll(idx);
        args.add(new String(value, StandardCharsets.UTF_8));
        args.add(Long.toString(ttlSeconds));
        args.add(Long.toString(System.currentTimeMillis() + ttlSeconds * 1000));
        args.add(Integer.toString(value.length));
        args.add(Long.toString(System.currentTimeMillis()));
        args.add(Long.toString(metaTtlSeconds));
        return call("EVAL", args.toArray(String[]::new)).replaceWithVoid();
    }

    /** Drops one entry by its hash (or full key); the number of entries removed (0 or 1). */
    public Uni<Long> invalidateKey(String hashOrKey) {
        String key = hashOrKey.startsWith(prefix) ? hashOrKey : entryKey(hashOrKey);
        return call("EVAL", DROP, "5", all, sizes, stats, indexes, records, "invalidations", key).map(CacheStore::asLong);
    }

    /** Drops every entry of an index set (model or provider), in batches. */
    public Uni<Long> invalidateIndex(String indexKey) {
        return dropIndexFrom(indexKey, 0);
    }

    private Uni<Long> dropIndexFrom(String indexKey, long soFar) {
        return call("EVAL", DROP_INDEX, "6", all, sizes, stats, indexKey, indexes, records, Integer.toString(BATCH)).chain(r -> {
            long popped = r.get(0).toLong();
            long total = soFar + r.get(1).toLong();
            return popped >= BATCH ? dropIndexFrom(indexKey, total) : Uni.createFrom().item(total);
        });
    }

    /**
     * Drops every entry whose hash (the hex of {@code x-aigw-cache-key}) starts with {@code hexPrefix}. The index of
     * all entries is walked with {@code ZSCAN … MATCH} (never {@code KEYS}, and not the whole keyspace), at most
     * about {@value #BATCH} members per round; each round's matches go through the same script as a key
     * invalidation, so they leave every index set, {@code meta:sizes} and {@code meta:idx} with them.
     */
    public Uni<Long> invalidatePrefix(String hexPrefix) {
        return dropMatchingFrom(glob(entryKey(hexPrefix)) + "*", "0", 0);
    }

    private Uni<Long> dropMatchingFrom(String pattern, String cursor, long soFar) {
        return call("ZSCAN", all, cursor, "MATCH", pattern, "COUNT", Integer.toString(BATCH)).chain(r -> {
            String next = r.get(0).toString();
            Response page = r.get(1);
            List<String> args = new ArrayList<>(page.size() / 2 + 8);
            args.addAll(List.of(DROP, "5", all, sizes, stats, indexes, records, "invalidations"));
            for (int i = 0; i < page.size(); i += 2) { // member, score, member, score…
                args.add(page.get(i).toString());
            }
            Uni<Long> dropped = args.size() == 8 ? Uni.createFrom().item(0L)
                    : call("EVAL", args.toArray(String[]::new)).map(CacheStore::asLong);
            return dropped.chain(n -> "0".equals(next) ? Uni.createFrom().item(soFar + n)
                    : dropMatchingFrom(pattern, next, soFar + n));
        });
    }

    /** {@code s} as a literal in a Redis glob pattern. */
    static String glob(String s) {
        StringBuilder out = new StringBuilder(s.length() + 4);
        for (char c : s.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Drops every entry (through the index of all keys) and the index sets. */
    public Uni<Long> invalidateAll() {
        return dropAllFrom(0);
    }

    private Uni<Long> dropAllFrom(long soFar) {
        return call("EVAL", DROP_ALL, "5", all, sizes, stats, indexes, records, Integer.toString(BATCH)).chain(r -> {
            long taken = r.get(0).toLong();
            long total = soFar + r.get(1).toLong();
            return taken >= BATCH ? dropAllFrom(total) : Uni.createFrom().item(total);
        });
    }

    /** Counts and unindexes entries whose TTL ran out, one batch ({@value #BATCH} at most); the number found. */
    public Uni<Long> prune() {
        return pruneBatch().map(r -> r[1]);
    }

    /**
     * Like {@link #prune()}, repeated while a batch comes back full and found expirations, at most
     * {@code maxRounds} batches (a backlog larger than that is left to the next call); the number found.
     */
    public Uni<Long> pruneRounds(int maxRounds) {
        return pruneFrom(Math.max(1, maxRounds), 0);
    }

    private Uni<Long> pruneFrom(int roundsLeft, long soFar) {
        return pruneBatch().chain(r -> {
            long total = soFar + r[1];
            return r[0] >= BATCH && r[1] > 0 && roundsLeft > 1 ? pruneFrom(roundsLeft - 1, total)
                    : Uni.createFrom().item(total);
        });
    }

    /** {taken (expiry passed), expired (key gone)}. */
    private Uni<long[]> pruneBatch() {
        return call("EVAL", PRUNE, "5", all, sizes, stats, indexes, records, Long.toString(System.currentTimeMillis()),
                Integer.toString(BATCH)).map(r -> new long[] {r.get(0).toLong(), r.get(1).toLong()});
    }

    /** Adds this instance's counts to the shared counters. */
    public Uni<Void> addCounts(Map<String, Long> deltas) {
        List<String> args = new ArrayList<>();
        args.add(INCR);
        args.add("1");
        args.add(stats);
        args.add(Long.toString(metaTtlSeconds));
        deltas.forEach((k, v) -> {
            if (v != 0) {
                args.add(k);
                args.add(Long.toString(v));
            }
        });
        if (args.size() == 4) {
            return Uni.createFrom().voidItem();
        }
        return call("EVAL", args.toArray(String[]::new)).replaceWithVoid();
    }

    /** Shared counters plus {@code keys} (entries indexed). */
    public Uni<Map<String, Long>> shared() {
        return guard(redis.hash(String.class).hgetall(stats)).chain(h -> call("ZCARD", all).map(card -> {
            Map<String, Long> out = new HashMap<>();
            if (h != null) {
                h.forEach((f, v) -> {
                    try {
                        out.put(f, Long.parseLong(v));
                    } catch (NumberFormatException ignored) {
                        // foreign field
                    }
                });
            }
            out.put("keys", asLong(card));
            return out;
        }));
    }

    /** {sampled entries, their MEMORY USAGE in bytes}. */
    public Uni<long[]> sampleMemory(int sample) {
        return call("EVAL", SAMPLE, "1", all, Integer.toString(sample))
                .map(r -> new long[] {r.get(0).toLong(), r.get(1).toLong()});
    }

    private static long asLong(Response r) {
        return r == null ? 0 : r.toLong();
    }
}
