package io.aigateway.fake.server;

import io.vertx.core.http.HttpMethod;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Exact-match route table of the upstream-relative paths (built once at start, read-only afterwards). */
public final class Routes {

    private final Map<String, Map<HttpMethod, UpstreamHandler>> byPath = new HashMap<>();

    public Routes add(HttpMethod method, String path, UpstreamHandler handler) {
        UpstreamHandler previous = byPath.computeIfAbsent(path, p -> new HashMap<>()).put(method, handler);
        if (previous != null) {
            throw new IllegalStateException("Duplicate route " + method + " " + path);
        }
        return this;
    }

    /** Handlers for this path by method, or null when the path is unknown. */
    Map<HttpMethod, UpstreamHandler> find(String path) {
        return byPath.get(path);
    }

    static Set<String> allowed(Map<HttpMethod, UpstreamHandler> handlers) {
        Set<String> names = new HashSet<>();
        handlers.keySet().forEach(m -> names.add(m.name()));
        return names;
    }
}
