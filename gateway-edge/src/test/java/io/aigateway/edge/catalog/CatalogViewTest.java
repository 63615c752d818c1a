package io.aigateway.edge.catalog;

import io.aigateway.edge.catalog.CatalogView.Availability;
import io.aigateway.edge.catalog.CatalogView.Capabilities;
import io.aigateway.edge.catalog.CatalogView.Pricing;
import io.aigateway.edge.catalog.CatalogView.RoutingModel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recommendation rule, the anonymous limiter and ETag matching. */
class CatalogViewTest {

    static RoutingModel model(String id, double quality, String prompt, String completion, String status) {
        return new RoutingModel(id, id.split("/")[0], id.split("/")[1], id, 8192,
                new Capabilities(true, false, true, false), new Pricing(prompt, completion, "USD"), true, 0, quality,
                new Availability(status, "healthy", "CLOSED"));
    }

    @Test
    void recommendationsPerContextAmongAvailableModelsOnly() {
        List<RoutingModel> models = List.of(
                model("a/cheap", 0.5, "0.0001", "0.0001", "available"),
                model("a/best", 0.95, "0.01", "0.03", "available"),
                model("b/fast", 0.6, "0.001", "0.002", "available"),
                model("c/down", 1.0, "0", "0", "unavailable"),
                model("c/half", 0.99, "0", "0", "degraded"));
        Map<String, CatalogView.Performance> perf = Map.of(
                "b/fast", new CatalogView.Performance(50L, 90L, 20L, 1.0, 5, "1h"),
                "a/best", new CatalogView.Performance(500L, 900L, 200L, 1.0, 5, "1h"));
        Map<String, List<String>> r = CatalogView.recommend(models, perf::get);
        assertEquals(Map.of("a/cheap", List.of("default"), "a/best", List.of("writing"), "b/fast", List.of("dictionary")), r);
        // without traffic, dictionary takes the cheapest
        assertEquals(List.of("default", "dictionary"), CatalogView.recommend(models, id -> null).get("a/cheap"));
        assertTrue(CatalogView.recommend(List.of(models.get(3)), id -> null).isEmpty());
    }

    @Test
    void groupStatusIsTheBestOfItsMembers() {
        Map<String, String> s = Map.of("x", "unavailable", "y", "degraded", "z", "available");
        assertEquals("available", CatalogView.groupStatus(List.of("x", "y", "z"), s::get));
        assertEquals("degraded", CatalogView.groupStatus(List.of("x", "y"), s::get));
        assertEquals("unavailable", CatalogView.groupStatus(List.of("x", "missing"), s::get));
    }

    @Test
    void anonymousLimiterCountsPerAddressAndMinute() {
        long[] now = {Instant.parse("2026-01-01T00:00:10Z").toEpochMilli()};
        AnonymousLimiter l = new AnonymousLimiter(2, 2, () -> now[0]);
        assertTrue(l.acquire("1.1.1.1").allowed());
        assertTrue(l.acquire("1.1.1.1").allowed());
        AnonymousLimiter.Decision d = l.acquire("1.1.1.1");
        assertFalse(d.allowed());
        assertEquals(50, d.retryAfterSeconds());
        assertTrue(l.acquire("2.2.2.2").allowed());
        assertFalse(l.acquire("3.3.3.3").allowed(), "beyond maxAddresses");
        now[0] += 60_000;
        assertTrue(l.acquire("1.1.1.1").allowed());
        assertTrue(l.acquire("3.3.3.3").allowed());
    }

    @Test
    void ifNoneMatchAcceptsListsWeakTagsAndStar() {
        String tag = CatalogHandler.etag("x".getBytes());
        assertTrue(CatalogHandler.matches(tag, tag));
        assertTrue(CatalogHandler.matches("\"other\", W/" + tag, tag));
        assertTrue(CatalogHandler.matches("*", tag));
        assertFalse(CatalogHandler.matches("\"other\"", tag));
        assertFalse(CatalogHandler.matches(null, tag));
        assertFalse(tag.equals(CatalogHandler.etag("y".getBytes())));
    }
}
