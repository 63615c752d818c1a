package io.aigateway.support.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}): the script text crosses the wire only when Redis does not know it
 * yet (first call, after a restart or {@code SCRIPT FLUSH}), when {@code NOSCRIPT} makes this one {@code EVAL}.
 * The Quarkus Redis client has no script helper that does this.
 */
public final class LuaScript {

    private final String source;
    private final String sha;

    public LuaScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** Runs the script with no KEYS and these ARGV. */
    public Uni<Response> run(ReactiveRedisDataSource redis, String... argv) {
        return redis.execute("EVALSHA", args(sha, argv))
                .onFailure(LuaScript::noScript).recoverWithUni(() -> redis.execute("EVAL", args(source, argv)));
    }

    /**
     * {@code SCRIPT LOAD}s the script, so that the first burst of calls does not meet {@code NOSCRIPT} all at once
     * (each then sending the whole script with {@code EVAL}). Failures are the caller's to ignore.
     */
    public Uni<Void> load(ReactiveRedisDataSource redis) {
        return redis.execute("SCRIPT", "LOAD", source).replaceWithVoid();
    }

    public String sha() {
        return sha;
    }

    private static String[] args(String first, String[] argv) {
        List<String> out = new ArrayList<>(argv.length + 2);
        out.add(first);
        out.add("0");
        out.addAll(List.of(argv));
        return out.toArray(String[]::new);
    }

    private static boolean noScript(Throwable t) {
        String m = t.getMessage();
        return m != null && m.startsWith("NOSCRIPT");
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
