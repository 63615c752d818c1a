package io.aigateway.contracts.usage;

/** Kafka topic names (docs/architecture.md, "Data"). */
public final class Topics {
    public static final String USAGE = "ai.usage.v1";
    public static final String USAGE_DLQ = "ai.usage.v1.dlq";
    public static final String CONFIG = "ai.config.v1";
    /** Quota threshold alerts (80 % and 100 % of a day or month budget), keyed by subject; usage-service produces. */
    public static final String ALERTS = "ai.alerts.v1";
    public static final int USAGE_PARTITIONS = 6;

    private Topics() {
    }
}
