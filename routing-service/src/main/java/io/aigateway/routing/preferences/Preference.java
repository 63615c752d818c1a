package io.aigateway.routing.preferences;

import java.time.Instant;

/** One stored preference ({@code routing.user_preferences}). */
public record Preference(String context, String provider, String model, long usageCount, Instant lastUsedAt,
                         Instant createdAt, Instant updatedAt) {

    /** The candidate key the router matches: {@code provider/model}. */
    public String key() {
        return provider + "/" + model;
    }
}
