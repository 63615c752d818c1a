package io.aigateway.adapter.provider;

import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.contracts.catalog.ModelInfo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One provider's resolved configuration (catalog entry plus connection settings). Holds the API key:
 * {@link #toString()} never prints it, and nothing serialises this type.
 */
public final class ProviderSettings {

    private final String id;
    private final String kind;
    private final String displayName;
    private final String baseUrl;
    private final String apiKey;
    private final boolean enabled;
    private final String disabledReason;
    private final List<ModelInfo> models;
    private final Map<String, ModelInfo> modelsById;
    private final AigwConfig.Pool pool;
    private final AigwConfig.Timeouts timeouts;
    private final AigwConfig.ProviderConfig config;
    private final boolean switchedOn;
    private final String keyProblem;
    private final int priority;
    private final int rateLimitPerMinute;

    public ProviderSettings(String id, String kind, String displayName, String baseUrl, String apiKey,
                            boolean enabled, String disabledReason, List<ModelInfo> models,
                            AigwConfig.Pool pool, AigwConfig.Timeouts timeouts) {
        this(id, kind, displayName, baseUrl, apiKey, enabled, disabledReason, models, pool, timeouts, null);
    }

    public ProviderSettings(String id, String kind, String displayName, String baseUrl, String apiKey,
                            boolean enabled, String disabledReason, List<ModelInfo> models,
                            AigwConfig.Pool pool, AigwConfig.Timeouts timeouts, AigwConfig.ProviderConfig config) {
        this(id, kind, displayName, baseUrl, apiKey, enabled, null, disabledReason, models, pool, timeouts, config, 0, 0);
    }

    /**
     * @param switchedOn         the on/off switch (file or admin); the provider is enabled when it is on and has no
     *                           {@code keyProblem}
     * @param keyProblem         why the provider cannot be used whatever the switch says (its required API key is
     *                           missing), or null
     * @param offReason          why the switch is off (used when it is), e.g. "disabled by configuration"
     * @param rateLimitPerMinute client-side request limit (0 = none)
     */
    public ProviderSettings(String id, String kind, String displayName, String baseUrl, String apiKey,
                            boolean switchedOn, String keyProblem, String offReason, List<ModelInfo> models,
                            AigwConfig.Pool pool, AigwConfig.Timeouts timeouts, AigwConfig.ProviderConfig config,
                            int priority, int rateLimitPerMinute) {
        this.config = config;
        this.switchedOn = switchedOn;
        this.keyProblem = keyProblem;
        this.priority = priority;
        this.rateLimitPerMinute = rateLimitPerMinute;
        boolean enabled = switchedOn && keyProblem == null;
        String disabledReason = enabled ? null : !switchedOn ? offReason : keyProblem;
        this.id = id;
        this.kind = kind;
        this.displayName = displayName;
        this.baseUrl = baseUrl;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
        this.enabled = enabled;
        this.disabledReason = disabledReason;
        this.models = List.copyOf(models);
        Map<String, ModelInfo> byId = new LinkedHashMap<>();
        for (ModelInfo m : models) {
            byId.put(m.id(), m);
        }
        this.modelsById = Map.copyOf(byId);
        this.pool = pool;
        this.timeouts = timeouts;
    }

    public String id() {
        return id;
    }

    public String kind() {
        return kind;
    }

    public String displayName() {
        return displayName;
    }

    /** Base URL without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The secret, or null; never log or return it. */
    public String apiKey() {
        return apiKey;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Why the provider is disabled, null when enabled. */
    public String disabledReason() {
        return disabledReason;
    }

    public List<ModelInfo> models() {
        return models;
    }

    public ModelInfo model(String modelId) {
        return modelId == null ? null : modelsById.get(modelId);
    }

    public AigwConfig.Pool pool() {
        return pool;
    }

    public AigwConfig.Timeouts timeouts() {
        return timeouts;
    }

    /** The provider's raw configuration (kind-specific settings such as chat templates); null in unit tests. */
    public AigwConfig.ProviderConfig config() {
        return config;
    }

    /** The on/off switch alone (a provider switched on may still be disabled by a {@link #keyProblem()}). */
    public boolean switchedOn() {
        return switchedOn;
    }

    /** Why the provider cannot be enabled at all (its required API key is missing), or null. */
    public String keyProblem() {
        return keyProblem;
    }

    /** Higher first among candidates a policy ranks equal (0 by default). */
    public int priority() {
        return priority;
    }

    /** Client-side request limit per minute, 0 = none. */
    public int rateLimitPerMinute() {
        return rateLimitPerMinute;
    }

    /** A copy with run-time values (switch, catalog, connection settings, priority, limit); the rest stays. */
    public ProviderSettings with(boolean switchedOn, String offReason, List<ModelInfo> models, AigwConfig.Pool pool,
                                 AigwConfig.Timeouts timeouts, int priority, int rateLimitPerMinute) {
        return new ProviderSettings(id, kind, displayName, baseUrl, apiKey, switchedOn, keyProblem, offReason, models,
                pool, timeouts, config, priority, rateLimitPerMinute);
    }

    /** Timeouts as values (a run-time override of the file's). */
    public record TimeoutValues(Duration connect, Duration firstByte, Duration betweenChunks, Duration total)
            implements AigwConfig.Timeouts {

        public static TimeoutValues of(AigwConfig.Timeouts t) {
            return new TimeoutValues(t.connect(), t.firstByte(), t.betweenChunks(), t.total());
        }
    }

    /** Pool settings as values (a run-time override of the file's). */
    public record PoolValues(int maxConnections, boolean keepAlive, Duration keepAliveTimeout) implements AigwConfig.Pool {

        public static PoolValues of(AigwConfig.Pool p) {
            return new PoolValues(p.maxConnections(), p.keepAlive(), p.keepAliveTimeout());
        }
    }

    @Override
    public String toString() {
        return "ProviderSettings{id=" + id + ", kind=" + kind + ", enabled=" + enabled + ", apiKey="
                + (apiKey == null ? "none" : "***") + ", models=" + modelsById.keySet() + "}";
    }
}
