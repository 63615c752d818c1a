package io.aigateway.routing.route;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.routing.catalog.Catalog;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelResolverTest {

    static ModelInfo model(String id, int ctx) {
        return new ModelInfo(id, id, ctx, BigDecimal.ONE, BigDecimal.ONE, 0.5, null);
    }

    static ProviderInfo provider(String id, boolean enabled, boolean healthy, ModelInfo... models) {
        return new ProviderInfo(id, "openai", id, enabled, healthy, List.of(models));
    }

    final Catalog catalog = Catalog.of(List.of(
            provider("fake", true, true, model("fake-chat", 8192), model("fake-chat-large", 32768)),
            provider("hf", true, true, model("meta-llama/Llama-3-8B", 8192)),
            provider("fakeb", true, true, model("fake-chat", 4096)),
            provider("sick", true, false, model("fake-chat", 8192), model("sick-only", 1)),
            provider("off", false, true, model("off-only", 1))), Instant.now());

    final ModelResolver resolver = new ModelResolver(Map.of(
            "chat-default", "fake/fake-chat, fakeb/fake-chat",
            "fake", "fakeb/fake-chat",
            "dead", "sick/fake-chat,off/off-only",
            "ghost", "nobody/x"), 5);

    @Test
    void groupComesFirstInConfiguredOrder() {
        Resolution r = resolver.resolve("chat-default", catalog);
        assertEquals("group:chat-default", r.reason());
        assertEquals(keys(new Candidate("fake", "fake-chat", 8192), new Candidate("fakeb", "fake-chat", 4096)), keys(r.candidates().toArray(Candidate[]::new)));
    }

    @Test
    void groupNameWinsOverProviderPrefix() {
        assertEquals("group:fake", resolver.resolve("fake", catalog).reason());
    }

    @Test
    void pinnedProviderKeepsSlashesInModelId() {
        Resolution r = resolver.resolve("hf/meta-llama/Llama-3-8B", catalog);
        assertEquals("pinned", r.reason());
        assertEquals(keys(new Candidate("hf", "meta-llama/Llama-3-8B", 8192)), keys(r.candidates().toArray(Candidate[]::new)));
    }

    @Test
    void pinnedToModelOutsideCatalogIsStillTried() {
        Resolution r = resolver.resolve("fake/new-model", catalog);
        assertEquals(keys(new Candidate("fake", "new-model", 0)), keys(r.candidates().toArray(Candidate[]::new)));
    }

    @Test
    void bareModelIdMatchesEveryAvailableProviderInCatalogOrder() {
        Resolution r = resolver.resolve("fake-chat", catalog);
        assertEquals("model-match", r.reason());
        assertEquals(List.of("fake", "fakeb"), r.candidates().stream().map(Candidate::providerId).toList());
    }

    @Test
    void bareIdWithSlashOfUnknownProviderIsAModelMatch() {
        Resolution r = resolver.resolve("meta-llama/Llama-3-8B", catalog);
        assertEquals("model-match", r.reason());
        assertEquals("hf", r.candidates().get(0).providerId());
    }

    @Test
    void nothingMatchesIs404() {
        ApiException e = assertThrows(ApiException.class, () -> resolver.resolve("gpt-9", catalog));
        assertEquals(404, e.error().status());
        assertEquals("model_not_found", e.error().code());
        assertEquals("false", e.error().headers().get("x-should-retry"));
        assertEquals(404, assertThrows(ApiException.class, () -> resolver.resolve("ghost", catalog)).error().status());
    }

    @Test
    void matchesButNoneAvailableIs503WithRetryAfter() {
        for (String m : List.of("dead", "sick-only", "off-only", "off/off-only", "sick/x")) {
            ApiException e = assertThrows(ApiException.class, () -> resolver.resolve(m, catalog), m);
            assertEquals(503, e.error().status(), m);
            assertEquals("5", e.error().headers().get("retry-after"), m);
        }
    }

    @Test
    void badGroupConfigIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ModelResolver(Map.of("g", "no-slash"), 5));
    }

    private static List<String> keys(Candidate... cs) {
        List<String> out = new java.util.ArrayList<>();
        for (Candidate c : cs) {
            out.add(c.key() + "@" + c.contextWindow());
        }
        return out;
    }
}
