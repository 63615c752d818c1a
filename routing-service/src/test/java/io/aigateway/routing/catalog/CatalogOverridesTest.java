package io.aigateway.routing.catalog;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.config.ProviderOverride;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Published provider overrides on the catalog read from adapter-service. */
class CatalogOverridesTest {

    static ModelInfo model(String id, String price) {
        return new ModelInfo(id, id, 8192, new BigDecimal(price), new BigDecimal(price), 0.5, null);
    }

    static final List<ProviderInfo> ADAPTER = List.of(
            new ProviderInfo("fake", "openai", "Fake", true, true, List.of(model("fake-chat", "0.0015"), model("fake-chat-large", "0.005"))),
            new ProviderInfo("fakeb", "openai", "Fake B", true, true, List.of(model("fake-chat", "0.001"))),
            new ProviderInfo("down", "openai", "Down", false, true, List.of(model("down-model", "0.001"))));

    static ProviderOverride override(String provider, Boolean enabled, Integer priority, Map<String, ProviderOverride.ModelOverride> models) {
        return new ProviderOverride(provider, enabled, priority, null, models, null, null, null, 1, Instant.now(), "admin");
    }

    @Test
    void noOverrideIsTheAdaptersCatalog() {
        assertSame(ADAPTER, CatalogService.withOverrides(ADAPTER, Map.of()));
    }

    @Test
    void anOverrideTurnsOffSetsPriorityPricesAndModelsOfItsProviderOnly() {
        Map<String, ProviderOverride> o = Map.of(
                "fakeb", override("fakeb", false, 3, Map.of()),
                "fake", override("fake", null, null, Map.of(
                        "fake-chat", new ProviderOverride.ModelOverride(null, new BigDecimal("0.009"), new BigDecimal("0.019"), null, null),
                        "fake-chat-large", new ProviderOverride.ModelOverride(false, null, null, null, null))),
                "nobody", override("nobody", false, null, Map.of()));
        Catalog c = Catalog.of(CatalogService.withOverrides(ADAPTER, o), Instant.now());
        assertFalse(c.provider("fakeb").enabled());
        assertEquals(3, c.provider("fakeb").priority());
        assertTrue(c.provider("fake").enabled());
        assertEquals(new BigDecimal("0.009"), c.provider("fake").model("fake-chat").promptPricePer1k());
        assertEquals(new BigDecimal("0.019"), c.provider("fake").model("fake-chat").completionPricePer1k());
        assertFalse(c.provider("fake").model("fake-chat-large").isEnabled());
        assertFalse(Catalog.available(c.provider("fake"), "fake-chat-large"));
        assertTrue(Catalog.available(c.provider("fake"), "fake-chat"));
        assertEquals(3, c.providers().size(), "an override of a provider adapter does not list adds nothing");
    }

    @Test
    void routingCannotTurnOnWhatAdapterReportsOff() {
        Catalog c = Catalog.of(CatalogService.withOverrides(ADAPTER, Map.of("down", override("down", true, null, Map.of()))), Instant.now());
        assertFalse(c.provider("down").enabled());
    }

    @Test
    void applyingTheOverrideAdapterAlreadyAppliedChangesNothing() {
        Map<String, ProviderOverride> o = Map.of("fakeb", override("fakeb", false, 3, Map.of(
                "fake-chat", new ProviderOverride.ModelOverride(false, new BigDecimal("0.002"), null, 4096, 0.9))));
        List<ProviderInfo> once = CatalogService.withOverrides(ADAPTER, o);
        assertEquals(once, CatalogService.withOverrides(once, o));
    }
}
