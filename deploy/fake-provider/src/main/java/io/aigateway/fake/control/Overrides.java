package io.aigateway.fake.control;

/** Partial knobs: {@code null} fields are inherited (per-model overrides) or left unchanged (updates). */
public record Overrides(Long latencyMs, Long ttftMs, Long chunkDelayMs, Integer chunks, Double errorRate,
                        Integer errorStatus, String errorBody, Boolean outage, Integer streamErrorAfter,
                        Integer streamDropAfter) {

    public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null, null, null, null);

    public boolean isEmpty() {
        return latencyMs == null && ttftMs == null && chunkDelayMs == null && chunks == null && errorRate == null
                && errorStatus == null && errorBody == null && outage == null && streamErrorAfter == null
                && streamDropAfter == null;
    }
}
