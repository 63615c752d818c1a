package io.aigateway.routing.route;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.config.ModelGroup;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.routing.catalog.Catalog;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Published groups replace the file's, tombstones bring them back; disabled models are never candidates. */
class ModelGroupsTest {

    static ModelInfo model(String id) {
        return new ModelInfo(id, id, 8192, BigDecimal.ONE, BigDecimal.ONE, 0.5, null);
    }

    final Catalog catalog = Catalog.of(List.of(
            new ProviderInfo("fake", "openai", "Fake", true, true, List.of(model("fake-chat"), model("fake-chat-large").withEnabled(false))),
            new ProviderInfo("fakeb", "openai", "Fake B", true, true, List.of(model("fake-chat")), 7)), Instant.now());

    final ModelGroups groups = new ModelGroups(Map.of("chat-default", "fake/fake-chat,fakeb/fake-chat"));
    final ModelResolver resolver = new ModelResolver(groups, 5);

    static ModelGroup group(String name, String... members) {
        return new ModelGroup(name, List.of(members), 1, Instant.now(), "admin");
    }

    static List<String> keys(Resolution r) {
        return r.candidates().stream().map(Candidate::key).toList();
    }

    @Test
    void aPublishedGroupReplacesTheFilesAndItsTombstoneRestoresIt() {
        assertEquals(List.of("fake/fake-chat", "fakeb/fake-chat"), keys(resolver.resolve("chat-default", catalog)));
        groups.publish("chat-default", group("chat-default", "fakeb/fake-chat"));
        assertEquals(List.of("fakeb/fake-chat"), keys(resolver.resolve("chat-default", catalog)));
        groups.publish("chat-default", null);
        assertEquals(List.of("fake/fake-chat", "fakeb/fake-chat"), keys(resolver.resolve("chat-default", catalog)));
    }

    @Test
    void aNewGroupExistsUntilItsTombstone() {
        assertThrows(ApiException.class, () -> resolver.resolve("fast", catalog));
        groups.publish("fast", group("fast", "fakeb/fake-chat", "not-a-member", "fake/fake-chat"));
        assertEquals(List.of("fakeb/fake-chat", "fake/fake-chat"), keys(resolver.resolve("fast", catalog)));
        assertEquals(List.of("chat-default", "fast"), List.copyOf(resolver.groups().keySet()));
        groups.publish("fast", null);
        assertEquals(404, assertThrows(ApiException.class, () -> resolver.resolve("fast", catalog)).error().status());
        assertFalse(resolver.groups().containsKey("fast"));
    }

    @Test
    void aDisabledModelIsNeverACandidateAndAloneItIsUnavailable() {
        // the same 503 (no candidate available, retry-after) as a disabled provider, whichever way it is named
        assertEquals(503, assertThrows(ApiException.class, () -> resolver.resolve("fake/fake-chat-large", catalog)).error().status());
        assertEquals(503, assertThrows(ApiException.class, () -> resolver.resolve("fake-chat-large", catalog)).error().status());
        groups.publish("big", group("big", "fake/fake-chat-large"));
        assertEquals(503, assertThrows(ApiException.class, () -> resolver.resolve("big", catalog)).error().status());
        groups.publish("big", group("big", "fake/fake-chat-large", "fakeb/fake-chat"));
        assertEquals(List.of("fakeb/fake-chat"), keys(resolver.resolve("big", catalog)));
    }

    @Test
    void candidatesCarryTheirProvidersPriority() {
        Resolution r = resolver.resolve("fake-chat", catalog);
        assertEquals(List.of(0, 7), r.candidates().stream().map(Candidate::priority).toList());
    }
}
