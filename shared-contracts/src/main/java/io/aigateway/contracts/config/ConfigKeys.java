package io.aigateway.contracts.config;

/**
 * Record keys of {@code ai.config.v1} (compacted: the newest value per key is the desired state; a null value, a
 * tombstone, removes it and the configuration file's default applies again). admin-service is the only producer;
 * every instance of edge, routing and adapter reads the topic whole from the beginning and follows it.
 *
 * <ul>
 *   <li>{@code provider:<id>} → {@link ProviderOverride} (adapter applies all of it; routing applies it to the catalog
 *       it reads from adapter; the edge refreshes its price table)</li>
 *   <li>{@code group:<name>} → {@link ModelGroup} (routing: replaces the file's group of that name)</li>
 *   <li>{@code breaker-reset:<provider>} → {@link BreakerReset} (routing: every instance started before
 *       {@code requestedAt} closes its breaker of that provider once)</li>
 * </ul>
 */
public final class ConfigKeys {

    public static final String PROVIDER = "provider:";
    public static final String GROUP = "group:";
    public static final String BREAKER_RESET = "breaker-reset:";

    private ConfigKeys() {
    }

    public static String provider(String id) {
        return PROVIDER + id;
    }

    public static String group(String name) {
        return GROUP + name;
    }

    public static String breakerReset(String provider) {
        return BREAKER_RESET + provider;
    }

    /** The entity id after the key's prefix, or null when the key does not start with it. */
    public static String idOf(String key, String prefix) {
        return key != null && key.startsWith(prefix) && key.length() > prefix.length() ? key.substring(prefix.length()) : null;
    }
}
