package io.aigateway.fake.control;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** All virtual upstreams, created on first use (a call or a control-API update). Thread-safe. */
public final class ControlState {

    private final ConcurrentHashMap<String, UpstreamState> upstreams = new ConcurrentHashMap<>();

    public UpstreamState upstream(String name) {
        UpstreamState state = upstreams.get(name);
        return state != null ? state : upstreams.computeIfAbsent(name, UpstreamState::new);
    }

    public JsonObject update(String upstream, JsonObject body) {
        UpstreamState state = upstream(upstream);
        state.update(body);
        return state.configJson();
    }

    public JsonObject config(String upstream) {
        return upstream(upstream).configJson();
    }

    public JsonObject allConfig() {
        JsonObject json = new JsonObject();
        new TreeMap<>(upstreams).forEach((name, state) -> json.put(name, state.configJson()));
        return new JsonObject().put("upstreams", json);
    }

    /** Back to defaults: every knob, every per-model override, and the statistics. */
    public void reset() {
        upstreams.values().forEach(u -> {
            u.reset();
            u.clearStats();
        });
    }

    public void clearStats() {
        upstreams.values().forEach(UpstreamState::clearStats);
    }

    public JsonObject stats() {
        JsonObject json = new JsonObject();
        long total = 0;
        for (Map.Entry<String, UpstreamState> e : new TreeMap<>(upstreams).entrySet()) {
            json.put(e.getKey(), e.getValue().statsJson());
            total += e.getValue().calls();
        }
        return new JsonObject().put("upstreams", json).put("totalCalls", total);
    }
}
