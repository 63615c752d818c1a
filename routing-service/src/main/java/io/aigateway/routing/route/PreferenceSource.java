package io.aigateway.routing.route;

/**
 * The seam for stored user preferences (issue 4, item 7): the caller's preferred {@code provider/model}
 * for a context, else their {@code default} context. Until the preference store exists the router uses
 * {@link #NONE}, so {@code user-preference} behaves like the configured order.
 */
@FunctionalInterface
public interface PreferenceSource {

    PreferenceSource NONE = (userId, context) -> null;

    /** @return the preferred candidate key {@code provider/model}, or null when the caller has none */
    String preferred(String userId, String context);
}
