package io.aigateway.fake.control;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Configuration and statistics of one virtual upstream. Reads on the request path are lock-free (volatile
 * immutable snapshots); control-API updates synchronize on the instance.
 */
public final class UpstreamState {

    public static final List<String> DEFAULT_MODELS = List.of("fake-chat", "fake-chat-large");
    static final int REQUEST_ID_HISTORY = 50;
    static final int HEADER_HISTORY = 20;

    private static final Set<String> KNOB_FIELDS = Set.of("latencyMs", "ttftMs", "chunkDelayMs", "chunks",
            "errorRate", "errorStatus", "errorBody", "outage", "streamErrorAfter", "streamDropAfter");
    private static final Set<String> UPSTREAM_FIELDS = Set.of("models", "requireAuth", "apiKey");

    private final String name;
    private volatile Settings base = Settings.DEFAULTS;
    private volatile Map<String, Overrides> modelOverrides = Map.of();
    private volatile List<String> models = DEFAULT_MODELS;
    private volatile boolean requireAuth = true;
    private volatile String apiKey;

    private final LongAdder calls = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> byModel = new ConcurrentHashMap<>();
    private final String[] requestIds = new String[REQUEST_ID_HISTORY];
    private long requestIdCount;
    private final MultiMap[] headers = new MultiMap[HEADER_HISTORY];
    private long headerCount;

    UpstreamState(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Effective knobs for a call to {@code model} (may be null). */
    public Settings settingsFor(String model) {
        Settings s = base;
        Map<String, Overrides> overrides = modelOverrides;
        if (model == null || overrides.isEmpty()) {
            return s;
        }
        return s.overlay(overrides.get(model));
    }

    public List<String> models() {
        return models;
    }

    public boolean requireAuth() {
        return requireAuth;
    }

    /** Expected bearer token, or null when any token is accepted. */
    public String apiKey() {
        return apiKey;
    }

    // ---------------------------------------------------------------- statistics (request path)

    /** Records a received call: its request ID (if any) and its headers (kept by reference, never copied). */
    public void recordCall(String requestId, MultiMap requestHeaders) {
        calls.increment();
        synchronized (requestIds) {
            if (requestId != null) {
                requestIds[(int) (requestIdCount++ % REQUEST_ID_HISTORY)] = requestId;
            }
            headers[(int) (headerCount++ % HEADER_HISTORY)] = requestHeaders;
        }
    }

    public void recordModel(String model) {
        byModel.computeIfAbsent(model, m -> new LongAdder()).increment();
    }

    public long calls() {
        return calls.sum();
    }

    void clearStats() {
        calls.reset();
        byModel.clear();
        synchronized (requestIds) {
            java.util.Arrays.fill(requestIds, null);
            java.util.Arrays.fill(headers, null);
            requestIdCount = 0;
            headerCount = 0;
        }
    }

    JsonObject statsJson() {
        JsonObject models = new JsonObject();
        new TreeMap<>(byModel).forEach((m, n) -> models.put(m, n.sum()));
        JsonArray ids = new JsonArray();
        JsonArray hdrs = new JsonArray();
        synchronized (requestIds) {
            long firstId = Math.max(0, requestIdCount - REQUEST_ID_HISTORY);
            for (long i = firstId; i < requestIdCount; i++) {
                ids.add(requestIds[(int) (i % REQUEST_ID_HISTORY)]);
            }
            long firstHeader = Math.max(0, headerCount - HEADER_HISTORY);
            for (long i = firstHeader; i < headerCount; i++) {
                hdrs.add(headersJson(headers[(int) (i % HEADER_HISTORY)]));
            }
        }
        return new JsonObject().put("calls", calls.sum()).put("byModel", models)
                .put("lastRequestIds", ids).put("lastHeaders", hdrs);
    }

    private static JsonObject headersJson(MultiMap map) {
        JsonObject json = new JsonObject();
        for (String name : map.names()) {
            json.put(name.toLowerCase(java.util.Locale.ROOT), String.join(", ", map.getAll(name)));
        }
        return json;
    }

    // ---------------------------------------------------------------- configuration (control API)

    synchronized void reset() {
        base = Settings.DEFAULTS;
        modelOverrides = Map.of();
        models = DEFAULT_MODELS;
        requireAuth = true;
        apiKey = null;
    }

    /**
     * Applies a control-API update. Absent fields are unchanged; a field set to {@code null} goes back to its
     * default (upstream level) or is inherited again (model level, when the body has a {@code model}).
     */
    synchronized void update(JsonObject body) {
        for (String field : body.fieldNames()) {
            if (!KNOB_FIELDS.contains(field) && !UPSTREAM_FIELDS.contains(field) && !"model".equals(field)) {
                throw new ControlException("Unknown field '" + field + "'. Known: " + KNOB_FIELDS + ", "
                        + UPSTREAM_FIELDS + ", model", field);
            }
        }
        Object modelValue = body.getValue("model");
        if (modelValue != null && !(modelValue instanceof String)) {
            throw new ControlException("'model' must be a string", "model");
        }
        String model = (String) modelValue;
        if (model != null) {
            for (String field : UPSTREAM_FIELDS) {
                if (body.containsKey(field)) {
                    throw new ControlException("'" + field + "' applies to the whole upstream, not to a model", field);
                }
            }
            Overrides current = modelOverrides.getOrDefault(model, Overrides.NONE);
            Overrides next = new Overrides(
                    longField(body, "latencyMs", current.latencyMs()),
                    longField(body, "ttftMs", current.ttftMs()),
                    longField(body, "chunkDelayMs", current.chunkDelayMs()),
                    chunksField(body, current.chunks()),
                    rateField(body, current.errorRate()),
                    statusField(body, current.errorStatus()),
                    stringField(body, "errorBody", current.errorBody()),
                    boolField(body, "outage", current.outage()),
                    afterField(body, "streamErrorAfter", current.streamErrorAfter()),
                    afterField(body, "streamDropAfter", current.streamDropAfter()));
            Map<String, Overrides> copy = new ConcurrentHashMap<>(modelOverrides);
            if (next.isEmpty()) {
                copy.remove(model);
            } else {
                copy.put(model, next);
            }
            modelOverrides = Map.copyOf(copy);
            return;
        }
        Settings d = Settings.DEFAULTS;
        Settings b = base;
        Long latency = longField(body, "latencyMs", b.latencyMs());
        Long ttft = longField(body, "ttftMs", b.ttftMs());
        Long chunkDelay = longField(body, "chunkDelayMs", b.chunkDelayMs());
        Integer chunks = chunksField(body, b.chunks());
        Double rate = rateField(body, b.errorRate());
        Integer status = statusField(body, b.errorStatus());
        Boolean outage = boolField(body, "outage", b.outage());
        Integer errorAfter = afterField(body, "streamErrorAfter", b.streamErrorAfter());
        Integer dropAfter = afterField(body, "streamDropAfter", b.streamDropAfter());
        List<String> newModels = body.containsKey("models") ? modelsField(body) : models;
        Boolean auth = boolField(body, "requireAuth", requireAuth);
        String key = stringField(body, "apiKey", apiKey);
        // everything validated: commit
        base = new Settings(
                latency != null ? latency : d.latencyMs(),
                ttft != null ? ttft : d.ttftMs(),
                chunkDelay != null ? chunkDelay : d.chunkDelayMs(),
                chunks != null ? chunks : d.chunks(),
                rate != null ? rate : d.errorRate(),
                status != null ? status : d.errorStatus(),
                stringField(body, "errorBody", b.errorBody()),
                outage != null ? outage : d.outage(),
                errorAfter != null ? errorAfter : d.streamErrorAfter(),
                dropAfter != null ? dropAfter : d.streamDropAfter());
        models = newModels == null ? DEFAULT_MODELS : newModels;
        requireAuth = auth == null || auth;
        apiKey = key;
    }

    JsonObject configJson() {
        JsonObject json = settingsJson(base);
        json.put("models", new JsonArray(models)).put("requireAuth", requireAuth).put("apiKey", apiKey == null ? null : "***");
        JsonObject perModel = new JsonObject();
        new TreeMap<>(modelOverrides).forEach((m, o) -> perModel.put(m, overridesJson(o)));
        return json.put("modelOverrides", perModel);
    }

    private static JsonObject settingsJson(Settings s) {
        return new JsonObject().put("latencyMs", s.latencyMs()).put("ttftMs", s.ttftMs())
                .put("chunkDelayMs", s.chunkDelayMs()).put("chunks", s.chunks()).put("errorRate", s.errorRate())
                .put("errorStatus", s.errorStatus()).put("errorBody", s.errorBody()).put("outage", s.outage())
                .put("streamErrorAfter", s.streamErrorAfter()).put("streamDropAfter", s.streamDropAfter());
    }

    private static JsonObject overridesJson(Overrides o) {
        JsonObject json = new JsonObject();
        if (o.latencyMs() != null) json.put("latencyMs", o.latencyMs());
        if (o.ttftMs() != null) json.put("ttftMs", o.ttftMs());
        if (o.chunkDelayMs() != null) json.put("chunkDelayMs", o.chunkDelayMs());
        if (o.chunks() != null) json.put("chunks", o.chunks());
        if (o.errorRate() != null) json.put("errorRate", o.errorRate());
        if (o.errorStatus() != null) json.put("errorStatus", o.errorStatus());
        if (o.errorBody() != null) json.put("errorBody", o.errorBody());
        if (o.outage() != null) json.put("outage", o.outage());
        if (o.streamErrorAfter() != null) json.put("streamErrorAfter", o.streamErrorAfter());
        if (o.streamDropAfter() != null) json.put("streamDropAfter", o.streamDropAfter());
        return json;
    }

    // ---------------------------------------------------------------- field parsing

    private static Long longField(JsonObject body, String field, Long current) {
        if (!body.containsKey(field)) {
            return current;
        }
        Object v = body.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 3_600_000) {
            throw new ControlException("'" + field + "' must be a number of milliseconds in 0..3600000", field);
        }
        return n.longValue();
    }

    private static Integer chunksField(JsonObject body, Integer current) {
        if (!body.containsKey("chunks")) {
            return current;
        }
        Object v = body.getValue("chunks");
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.longValue() < 0 || n.longValue() > 100_000
                || n.doubleValue() != n.longValue()) {
            throw new ControlException("'chunks' must be an integer in 0..100000", "chunks");
        }
        return n.intValue();
    }

    /** A chunk count in -1..100000 (-1 = off). */
    private static Integer afterField(JsonObject body, String field, Integer current) {
        if (!body.containsKey(field)) {
            return current;
        }
        Object v = body.getValue(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.longValue() < -1 || n.longValue() > 100_000
                || n.doubleValue() != n.longValue()) {
            throw new ControlException("'" + field + "' must be an integer in -1..100000 (-1 = off)", field);
        }
        return n.intValue();
    }

    private static Double rateField(JsonObject body, Double current) {
        if (!body.containsKey("errorRate")) {
            return current;
        }
        Object v = body.getValue("errorRate");
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1) {
            throw new ControlException("'errorRate' must be a number in 0..1", "errorRate");
        }
        return n.doubleValue();
    }

    private static Integer statusField(JsonObject body, Integer current) {
        if (!body.containsKey("errorStatus")) {
            return current;
        }
        Object v = body.getValue("errorStatus");
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.intValue() < 100 || n.intValue() > 599) {
            throw new ControlException("'errorStatus' must be an HTTP status in 100..599", "errorStatus");
        }
        return n.intValue();
    }

    private static String stringField(JsonObject body, String field, String current) {
        if (!body.containsKey(field)) {
            return current;
        }
        Object v = body.getValue(field);
        if (v != null && !(v instanceof String)) {
            throw new ControlException("'" + field + "' must be a string", field);
        }
        return (String) v;
    }

    private static Boolean boolField(JsonObject body, String field, Boolean current) {
        if (!body.containsKey(field)) {
            return current;
        }
        Object v = body.getValue(field);
        if (v != null && !(v instanceof Boolean)) {
            throw new ControlException("'" + field + "' must be a boolean", field);
        }
        return (Boolean) v;
    }

    private static List<String> modelsField(JsonObject body) {
        Object v = body.getValue("models");
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonArray array) || array.isEmpty()) {
            throw new ControlException("'models' must be a non-empty array of model ids", "models");
        }
        for (Object o : array) {
            if (!(o instanceof String s) || s.isBlank()) {
                throw new ControlException("'models' must be a non-empty array of model ids", "models");
            }
        }
        @SuppressWarnings("unchecked")
        List<String> list = List.copyOf((List<String>) (List<?>) array.getList());
        return list;
    }
}
