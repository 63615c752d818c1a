package io.aigateway.fake.server;

import io.vertx.core.http.HttpMethod;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Route table of the upstream-relative paths (built once at start, read-only afterwards): exact paths first, then
 * prefixes (for paths with a parameter inside, e.g. Gemini's {@code /v1beta/models/{model}:generateContent}; the
 * handler parses the rest of the path itself).
 */
public final class Routes {

    private final Map<String, Map<HttpMethod, UpstreamHandler>> byPath = new HashMap<>();
    private final Map<String, Map<HttpMethod, UpstreamHandler>> byPrefix = new LinkedHashMap<>();

    public Routes add(HttpMethod method, String path, UpstreamHandler handler) {
        UpstreamHandler previous = byPath.computeIfAbsent(path, p -> new HashMap<>()).put(method, handler);
        if (previous != null) {
            throw new IllegalStateException("Duplicate route " + method + " " + path);
        }
        return this;
    }

    /** A route for every path starting with {@code prefix} (and longer than it) not matched exactly. */
    public Routes addPrefix(HttpMethod method, String prefix, UpstreamHandler handler) {
        UpstreamHandler previous = byPrefix.computeIfAbsent(prefix, p -> new HashMap<>()).put(method, handler);
        if (previous != null) {
            throw new IllegalStateException("Duplicate prefix route " + method + " " + prefix);
        }
        return this;
    }

    /** Handlers for this path by method, or null when the path is unknown. */
    Map<HttpMethod, UpstreamHandler> find(String path) {
        Map<HttpMethod, UpstreamHandler> exact = byPath.get(path);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, Map<HttpMethod, UpstreamHandler>> e : byPrefix.entrySet()) {
            if (path.length() > e.getKey().length() && path.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    static Set<String> allowed(Map<HttpMethod, UpstreamHandler> handlers) {
        Set<String> names = new HashSet<>();
        handlers.keySet().forEach(m -> names.add(m.name()));
        return names;
    }
}
