package io.aigateway.usage.analytics.service;

import java.util.Locale;

/** A grouping dimension: its query-parameter name, the JSON/CSV field it yields, and whether the rollup has it. */
public enum GroupBy {
    PROVIDER("provider", "provider", true),
    MODEL("model", "model", true),
    USER("user", "userId", false),
    KEY("key", "keyId", false),
    CONTEXT("context", "context", true),
    DAY("day", "day", true),
    HOUR("hour", "hour", true);

    private final String param;
    private final String field;
    private final boolean inRollup;

    GroupBy(String param, String field, boolean inRollup) {
        this.param = param;
        this.field = field;
        this.inRollup = inRollup;
    }

    public String param() {
        return param;
    }

    public String field() {
        return field;
    }

    public boolean inRollup() {
        return inRollup;
    }

    /** {@code null} when unknown. */
    public static GroupBy of(String param) {
        String p = param.trim().toLowerCase(Locale.ROOT);
        for (GroupBy g : values()) {
            if (g.param.equals(p)) {
                return g;
            }
        }
        return null;
    }
}
