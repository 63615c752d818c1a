package io.aigateway.contracts.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.internal.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderOverrideTest {

    static final ModelInfo.Capabilities CAPS = new ModelInfo.Capabilities(true, false, false, false);
    static final ModelInfo CHAT = new ModelInfo("chat", "Chat", 8192, new BigDecimal("0.001"), new BigDecimal("0.002"), 0.5, CAPS);
    static final ModelInfo MINI = new ModelInfo("mini", "Mini", 4096, new BigDecimal("0.0001"), new BigDecimal("0.0002"), 0.3, CAPS);
    static final ProviderInfo BASE = new ProviderInfo("fake", "fake", "Fake", true, true, List.of(CHAT, MINI));

    static ProviderOverride override(Boolean enabled, Integer priority, Double quality, Map<String, ProviderOverride.ModelOverride> models) {
        return new ProviderOverride("fake", enabled, priority, quality, models, null, null, null, 3, Instant.EPOCH, "admin");
    }

    @Test
    void catalogFieldsComeFromTheOverrideAndTheRestStays() {
        ProviderOverride o = override(null, 7, null, Map.of("chat",
                new ProviderOverride.ModelOverride(false, new BigDecimal("0.5"), null, 1000, 0.9)));
        ProviderInfo p = o.applyTo(BASE);
        assertTrue(p.enabled());
        assertEquals(7, p.priority());
        ModelInfo chat = p.model("chat");
        assertFalse(chat.isEnabled());
        assertEquals(new BigDecimal("0.5"), chat.promptPricePer1k());
        assertEquals(new BigDecimal("0.002"), chat.completionPricePer1k());
        assertEquals(1000, chat.contextWindow());
        assertEquals(0.9, chat.qualityScore());
        assertSame(MINI, p.model("mini"), "a model without an override is the same entry");
        assertEquals(p, o.applyTo(p), "applying twice changes nothing");
    }

    @Test
    void theProviderWideQualityScoreYieldsToAModelsOwn() {
        ProviderOverride o = override(null, null, 0.8, Map.of("chat", new ProviderOverride.ModelOverride(null, null, null, null, 0.95)));
        ProviderInfo p = o.applyTo(BASE);
        assertEquals(0.95, p.model("chat").qualityScore());
        assertEquals(0.8, p.model("mini").qualityScore());
        assertEquals(0, p.priority());
    }

    @Test
    void enabledCanOnlyTurnAProviderOffOverAnotherServicesList() {
        assertFalse(override(false, null, null, null).applyTo(BASE).enabled());
        ProviderInfo off = new ProviderInfo("fake", "fake", "Fake", false, true, List.of(CHAT));
        assertFalse(override(true, null, null, null).applyTo(off).enabled(), "only adapter knows whether it can be on");
    }

    @Test
    void jsonLeavesOutWhatIsNotOverriddenAndOldJsonReadsAsEnabled() throws Exception {
        ObjectMapper m = Json.newMapper();
        String json = m.writeValueAsString(override(false, null, null, null));
        assertTrue(json.contains("\"enabled\":false"), json);
        assertFalse(json.contains("priority"), json);
        ProviderOverride back = m.readValue(json, ProviderOverride.class);
        assertEquals(Boolean.FALSE, back.enabled());
        assertNull(back.timeouts());
        ModelInfo old = m.readValue("{\"id\":\"x\",\"contextWindow\":1,\"qualityScore\":0.5}", ModelInfo.class);
        assertTrue(old.isEnabled());
        String written = m.writeValueAsString(CHAT.withEnabled(false));
        assertTrue(written.contains("\"enabled\":false"), written);
        assertFalse(m.readValue(written, ModelInfo.class).isEnabled());
        ProviderInfo oldP = m.readValue("{\"id\":\"x\",\"enabled\":true,\"models\":[]}", ProviderInfo.class);
        assertEquals(0, oldP.priority());
    }
}
