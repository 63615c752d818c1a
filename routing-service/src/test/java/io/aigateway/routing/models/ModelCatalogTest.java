package io.aigateway.routing.models;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.routing.catalog.Catalog;
import io.aigateway.routing.route.ModelResolver;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /internal/v1/models/catalog}: availability from enabled, health and breaker; prices; groups. */
class ModelCatalogTest {

    static ModelInfo model(String id, boolean images) {
        return new ModelInfo(id, id.toUpperCase(), 8192, new BigDecimal("0.00150"), new BigDecimal("0.002"), 0.7,
                new ModelInfo.Capabilities(true, false, images, true));
    }

    @Test
    void statusIsUnavailableWhenDisabledUnhealthyOrOpenAndDegradedWhenHalfOpen() {
        assertEquals("available", ModelCatalogResource.status(true, true, "CLOSED"));
        assertEquals("degraded", ModelCatalogResource.status(true, true, "HALF_OPEN"));
        assertEquals("unavailable", ModelCatalogResource.status(true, true, "OPEN"));
        assertEquals("unavailable", ModelCatalogResource.status(false, true, "CLOSED"));
        assertEquals("unavailable", ModelCatalogResource.status(true, false, "CLOSED"));
    }

    @Test
    void everyModelWithItsProviderStateAndEveryGroupWithItsMembers() {
        Catalog c = Catalog.of(List.of(
                new ProviderInfo("a", "openai", "A", true, true, List.of(model("m1", true), model("m2", false).withEnabled(false)), 3),
                new ProviderInfo("sick", "openai", "Sick", true, false, List.of(model("m1", false))),
                new ProviderInfo("open", "openai", "Open", true, true, List.of(model("m1", false))),
                new ProviderInfo("half", "openai", "Half", true, true, List.of(model("m1", false))),
                new ProviderInfo("off", "openai", "Off", false, false,
                        List.of(new ModelInfo("bare", null, 0, null, null, 0, null)))), Instant.now());
        Map<String, List<ModelResolver.GroupMember>> groups = new LinkedHashMap<>();
        groups.put("g", List.of(new ModelResolver.GroupMember("a", "m1"), new ModelResolver.GroupMember("open", "m1")));
        Map<String, String> breakers = Map.of("open", "OPEN", "half", "HALF_OPEN");

        ModelCatalogResource.ModelCatalog out = ModelCatalogResource.of(c, groups, breakers::get);

        Map<String, ModelCatalogResource.Entry> byId = new LinkedHashMap<>();
        out.models().forEach(e -> byId.put(e.id(), e));
        assertEquals(List.of("a/m1", "a/m2", "sick/m1", "open/m1", "half/m1", "off/bare"), List.copyOf(byId.keySet()));

        ModelCatalogResource.Entry a1 = byId.get("a/m1");
        assertEquals("a", a1.provider());
        assertEquals("m1", a1.model());
        assertEquals("M1", a1.displayName());
        assertEquals(3, a1.priority());
        assertEquals(0.7, a1.qualityScore());
        assertTrue(a1.enabled());
        assertEquals(new ModelCatalogResource.Capabilities(true, false, true, true), a1.capabilities());
        assertEquals(new ModelCatalogResource.Pricing("0.0015", "0.002", "USD"), a1.pricing());
        assertEquals(new ModelCatalogResource.Availability("available", "healthy", "CLOSED"), a1.availability());

        assertFalse(byId.get("a/m2").enabled());
        assertEquals("unavailable", byId.get("a/m2").availability().status());
        assertEquals(new ModelCatalogResource.Availability("unavailable", "unhealthy", "CLOSED"), byId.get("sick/m1").availability());
        assertEquals(new ModelCatalogResource.Availability("unavailable", "healthy", "OPEN"), byId.get("open/m1").availability());
        assertEquals(new ModelCatalogResource.Availability("degraded", "healthy", "HALF_OPEN"), byId.get("half/m1").availability());

        ModelCatalogResource.Entry bare = byId.get("off/bare");
        assertEquals("bare", bare.displayName());
        assertNull(bare.pricing().promptPer1k());
        assertEquals(new ModelCatalogResource.Capabilities(false, false, false, false), bare.capabilities());
        assertEquals(new ModelCatalogResource.Availability("unavailable", "unknown", "CLOSED"), bare.availability());

        assertEquals(List.of(new ModelCatalogResource.Group("g", List.of("a/m1", "open/m1"))), out.groups());
    }
}
