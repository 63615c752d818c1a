package io.aigateway.contracts.internal;

import java.util.Locale;

/** Routing policies selectable with {@code X-Aigw-Policy}. Unknown names are a 400 at the edge. */
public enum RoutePolicy {
    USER_PREFERENCE("user-preference"),
    COST("cost"),
    LATENCY("latency"),
    QUALITY("quality"),
    ROUND_ROBIN("round-robin");

    private final String wireName;

    RoutePolicy(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @return the policy, or null when the name is unknown */
    public static RoutePolicy fromWire(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (RoutePolicy p : values()) {
            if (p.wireName.equals(n)) {
                return p;
            }
        }
        return null;
    }
}
