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

/** {@code GET /internal/v1/models} marks what is never routed to: {@code aigw.enabled=false}. */
class ModelsListTest {

    static ModelInfo model(String id) {
        return new ModelInfo(id, id, 8192, BigDecimal.ONE, BigDecimal.ONE, 0.5, null);
    }

    @Test
    void disabledProvidersModelsAndGroupsWithoutAnEnabledMemberAreListedDisabled() {
        Catalog c = Catalog.of(List.of(
                new ProviderInfo("fake", "openai", "Fake", true, true, List.of(model("a"), model("b").withEnabled(false))),
                new ProviderInfo("off", "openai", "Off", false, true, List.of(model("a")))), Instant.now());
        Map<String, List<ModelResolver.GroupMember>> groups = new LinkedHashMap<>();
        groups.put("mixed", List.of(new ModelResolver.GroupMember("off", "a"), new ModelResolver.GroupMember("fake", "a")));
        groups.put("dead", List.of(new ModelResolver.GroupMember("off", "a"), new ModelResolver.GroupMember("fake", "b")));
        Map<String, Boolean> enabled = new LinkedHashMap<>();
        ModelsResource.of(c, groups, 1).data().forEach(m -> enabled.put(m.id(), m.aigw().enabled()));
        assertEquals(Map.of("mixed", true, "dead", false, "fake/a", true, "fake/b", false, "off/a", false), enabled);
        assertEquals(List.of("mixed", "dead", "fake/a", "fake/b", "off/a"), List.copyOf(enabled.keySet()));
    }
}
