package io.aigateway.routing.cache;

import java.util.List;
import java.util.Locale;

/**
 * A request's cache directives: {@code Cache-Control: no-cache} (do not read), {@code no-store} (do not
 * write), {@code max-age=N} (accept only an answer at most N s old); {@code X-Aigw-Cache-Ttl: N} (keep a
 * new answer N s, clamped to the configured maximum; {@code 0} = do not store; anything else that is not
 * a whole number is ignored).
 */
record Directives(boolean read, boolean write, Long maxAgeSeconds, long ttlSeconds) {

    static Directives parse(List<String> cacheControl, String ttlHeader, long defaultTtl, long maxTtl) {
        boolean read = true;
        boolean write = true;
        Long maxAge = null;
        if (cacheControl != null) {
            for (String header : cacheControl) {
                for (String part : header.split(",")) {
                    String d = part.trim().toLowerCase(Locale.ROOT);
                    if (d.equals("no-cache")) {
                        read = false;
                    } else if (d.equals("no-store")) {
                        write = false;
                    } else if (d.startsWith("max-age=")) {
                        try {
                            long v = Long.parseLong(d.substring(8).trim().replace("\"", ""));
                            if (v >= 0) {
                                maxAge = maxAge == null ? v : Math.min(maxAge, v);
                            }
                        } catch (NumberFormatException ignored) {
                            // not a number: no constraint
                        }
                    }
                }
            }
        }
        long ttl = defaultTtl;
        if (ttlHeader != null && !ttlHeader.isBlank()) {
            try {
                long v = Long.parseLong(ttlHeader.trim());
                if (v == 0) {
                    write = false;
                } else if (v > 0) {
                    ttl = v;
                }
            } catch (NumberFormatException ignored) {
                // ignored: default TTL
            }
        }
        ttl = Math.max(1, Math.min(ttl, Math.max(1, maxTtl)));
        return new Directives(read, write, maxAge, ttl);
    }
}
