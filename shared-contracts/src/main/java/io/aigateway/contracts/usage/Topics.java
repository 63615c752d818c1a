package io.aigateway.contracts.usage;

/** Kafka topic names (docs/architecture.md, "Data"). */
public final class Topics {
    public static final String USAGE = "ai.usage.v1";
    public static final String USAGE_DLQ = "ai.usage.v1.dlq";
    public static final String CONFIG = "ai.config.v1";
    /**
     * Alerts, each a JSON object with a {@code type}: quota thresholds ({@code quota_threshold}: 80 % and 100 % of a
     * day or month budget, keyed by subject; usage-service produces) and provider outages ({@code provider_unhealthy},
     * keyed {@code provider:<id>}; adapter-service produces). usage-service stores them for the admin API.
     */
    public static final String ALERTS = "ai.alerts.v1";
    /** Provider health transitions and snapshots ({@code ProviderHealthEvent}, keyed by provider id); adapter-service produces. */
    public static final String HEALTH = "ai.health.v1";
    public static final int USAGE_PARTITIONS = 6;

    private Topics() {
    }
}
