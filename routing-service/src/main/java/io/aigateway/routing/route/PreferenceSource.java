package io.aigateway.routing.route;

import io.smallrye.mutiny.Uni;

/**
 * The seam for stored user preferences (issue 4, item 7), used by {@code user-preference} routing only. A load
 * never blocks and never fails: a source that cannot reach its store answers the last known preferences or
 * {@link UserPreferences#NONE} (then {@code user-preference} keeps the configured order).
 */
@FunctionalInterface
public interface PreferenceSource {

    PreferenceSource NONE = userId -> Uni.createFrom().item(UserPreferences.NONE);

    /** The caller's preferences ({@code context → provider/model}); emitted on the caller's Vert.x context. */
    Uni<UserPreferences> load(String userId);

    /** Called when the preference of {@code context} decided a route (for usage counts; must not block). */
    default void used(String userId, String context) {
    }
}
