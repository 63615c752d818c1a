package io.aigateway.routing.route;

import java.util.Map;

/** One user's preferences: context → candidate key {@code provider/model}. Immutable. */
public record UserPreferences(Map<String, String> byContext) {

    public static final UserPreferences NONE = new UserPreferences(Map.of());

    public UserPreferences {
        byContext = byContext == null ? Map.of() : Map.copyOf(byContext);
    }

    /** @return the preferred candidate key for {@code context}, or null */
    public String forContext(String context) {
        return context == null ? null : byContext.get(context);
    }

    public boolean isEmpty() {
        return byContext.isEmpty();
    }
}
