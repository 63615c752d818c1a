package io.aigateway.admin.common;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.text.LogSafe;
import jakarta.ws.rs.core.MultivaluedMap;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Query parameters relayed to another service: only the names a route allows (any other → 400 naming it), each
 * value percent-encoded again (so no value can add a parameter or change the path), no control characters.
 * The owning service checks the values themselves (dates, groupBy, limits) and its 400 envelope is relayed.
 */
public final class AdminQueries {

    static final int MAX_VALUE = 512;
    static final int MAX_VALUES = 20;

    private AdminQueries() {
    }

    /** The encoded query string (without {@code ?}), possibly empty. */
    public static String relay(MultivaluedMap<String, String> params, Set<String> allowed) {
        return relay(params, allowed, Set.of());
    }

    /** As {@link #relay(MultivaluedMap, Set)}, leaving out {@code consumed} (parameters this service reads itself). */
    public static String relay(MultivaluedMap<String, String> params, Set<String> allowed, Set<String> consumed) {
        StringJoiner out = new StringJoiner("&");
        for (Map.Entry<String, List<String>> e : new java.util.TreeMap<>(params).entrySet()) {
            String name = e.getKey();
            if (consumed.contains(name)) {
                continue;
            }
            if (!allowed.contains(name)) {
                throw ApiError.badRequest("Unknown query parameter '" + LogSafe.echo(name) + "'; allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ".", name).exception();
            }
            if (e.getValue().size() > MAX_VALUES) {
                throw ApiError.badRequest("Too many values for '" + name + "'.", name).exception();
            }
            for (String v : e.getValue()) {
                if (v.length() > MAX_VALUE || LogSafe.indexOfControl(v) >= 0) {
                    throw ApiError.badRequest("'" + name + "' must be at most " + MAX_VALUE
                            + " characters without control characters.", name).exception();
                }
                out.add(encode(name) + "=" + encode(v));
            }
        }
        return out.toString();
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
