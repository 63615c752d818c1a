package io.aigateway.routing.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.error.ApiException;
import io.aigateway.contracts.internal.RoutePolicy;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelRouterTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final ModelInfo.Capabilities ALL = new ModelInfo.Capabilities(true, true, true, true);

    // cheap: low prices, low quality; mid: middle; premium: expensive, best, large context
    static final Candidate CHEAP = c("a", "cheap", 8192, "0.0005", "0.0015", 0.5, ALL);
    static final Candidate MID = c("b", "mid", 16384, "0.001", "0.002", 0.7, ALL);
    static final Candidate PREMIUM = c("c", "premium", 128000, "0.01", "0.03", 0.95, ALL);
    static final Resolution GROUP = new Resolution("grp", List.of(PREMIUM, CHEAP, MID), "group:grp");

    static Candidate c(String p, String m, int ctx, String in, String out, double q, ModelInfo.Capabilities caps) {
        return new Candidate(p, m, ctx, new ModelInfo(m, m, ctx, in == null ? null : new BigDecimal(in),
                out == null ? null : new BigDecimal(out), q, caps));
    }

    static RequestProfile profile(String json) throws Exception {
        return RequestProfile.of(new ChatCompletionRequest((ObjectNode) MAPPER.readTree(json)), 1024);
    }

    static RequestProfile simple() throws Exception {
        return profile("{\"model\":\"grp\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
    }

    final Map<String, Double> latencies = new HashMap<>();
    final AtomicLong rr = new AtomicLong();
    Set<String> open = Set.of();
    PreferenceSource prefs = PreferenceSource.NONE;

    ModelRouter router() {
        return new ModelRouter(k -> latencies.getOrDefault(k, -1.0), key -> rr.getAndIncrement(),
                p -> !open.contains(p), prefs, 5);
    }

    static List<String> keys(ModelRouter.Route r) {
        return r.resolution().candidates().stream().map(Candidate::key).toList();
    }

    @Test
    void costPutsCheapestEstimateFirstAndNamesThePolicy() throws Exception {
        ModelRouter.Route r = router().route(GROUP, simple(), RoutePolicy.COST, "u", "default");
        assertEquals(List.of("a/cheap", "b/mid", "c/premium"), keys(r));
        assertEquals("group:grp,policy:cost", r.resolution().reason());
    }

    @Test
    void costWeighsTheCompletionBudget() throws Exception {
        // X: cheap prompt, expensive completion; Y: the reverse. A long prompt with a tiny budget favours X,
        // a short prompt with a large budget favours Y.
        Candidate x = c("x", "m", 128000, "0.0001", "0.01", 0.5, ALL);
        Candidate y = c("y", "m", 128000, "0.01", "0.0001", 0.5, ALL);
        Resolution res = new Resolution("m", List.of(y, x), "model-match");
        String longPrompt = "a".repeat(40_000);
        RequestProfile longP = profile("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"" + longPrompt + "\"}]}");
        RequestProfile bigBudget = profile("{\"model\":\"m\",\"max_completion_tokens\":4000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(List.of("x/m", "y/m"), keys(router().route(res, longP, RoutePolicy.COST, null, "default")));
        assertEquals(List.of("y/m", "x/m"), keys(router().route(res, bigBudget, RoutePolicy.COST, null, "default")));
    }

    @Test
    void costPutsUnknownPricesLast() throws Exception {
        Candidate unpriced = c("u", "m", 8192, null, null, 0.9, ALL);
        Resolution res = new Resolution("m", List.of(unpriced, MID), "model-match");
        assertEquals(List.of("b/mid", "u/m"), keys(router().route(res, simple(), RoutePolicy.COST, null, "default")));
    }

    @Test
    void qualityPutsHighestScoreFirst() throws Exception {
        Resolution res = new Resolution("grp", List.of(CHEAP, MID, PREMIUM), "group:grp");
        assertEquals(List.of("c/premium", "b/mid", "a/cheap"), keys(router().route(res, simple(), RoutePolicy.QUALITY, null, "default")));
    }

    @Test
    void latencyPutsFastestFirstAndUnmeasuredBeforeMeasured() throws Exception {
        latencies.put("c/premium", 900.0);
        latencies.put("a/cheap", 120.0);
        latencies.put("b/mid", 300.0);
        assertEquals(List.of("a/cheap", "b/mid", "c/premium"), keys(router().route(GROUP, simple(), RoutePolicy.LATENCY, null, "default")));
        latencies.remove("b/mid");
        assertEquals(List.of("b/mid", "a/cheap", "c/premium"), keys(router().route(GROUP, simple(), RoutePolicy.LATENCY, null, "default")));
    }

    @Test
    void roundRobinRotatesAndSpreadsEvenlyOver1000Requests() throws Exception {
        ModelRouter router = router();
        Map<String, Integer> first = new HashMap<>();
        RequestProfile p = simple();
        for (int i = 0; i < 1000; i++) {
            ModelRouter.Route r = router.route(GROUP, p, RoutePolicy.ROUND_ROBIN, null, "default");
            assertEquals(3, r.resolution().candidates().size());
            first.merge(r.resolution().candidates().get(0).key(), 1, Integer::sum);
        }
        for (String k : List.of("a/cheap", "b/mid", "c/premium")) {
            int n = first.getOrDefault(k, 0);
            assertTrue(Math.abs(n - 1000.0 / 3) <= 1000.0 / 3 * 0.05, k + " got " + n);
        }
    }

    @Test
    void roundRobinSkipsOpenProviders() throws Exception {
        open = Set.of("b");
        ModelRouter router = router();
        for (int i = 0; i < 10; i++) {
            List<String> keys = keys(router.route(GROUP, simple(), RoutePolicy.ROUND_ROBIN, null, "default"));
            assertEquals(2, keys.size());
            assertTrue(!keys.contains("b/mid"));
        }
    }

    ModelRouter.Route prefRoute(String user, String context) throws Exception {
        return router().routeAsync(GROUP, simple(), RoutePolicy.USER_PREFERENCE, user, context).await().indefinitely();
    }

    @Test
    void userPreferenceOrdersContextThenDefaultThenConfiguredOrder() throws Exception {
        assertEquals(List.of("c/premium", "a/cheap", "b/mid"), keys(prefRoute("u", "writing")));
        List<String> loads = new ArrayList<>();
        List<String> used = new ArrayList<>();
        prefs = new PreferenceSource() {
            @Override
            public Uni<UserPreferences> load(String userId) {
                loads.add(userId);
                return Uni.createFrom().item("u".equals(userId)
                        ? new UserPreferences(Map.of("writing", "b/mid", "default", "a/cheap")) : UserPreferences.NONE);
            }

            @Override
            public void used(String userId, String context) {
                used.add(userId + ":" + context);
            }
        };
        ModelRouter.Route writing = prefRoute("u", "writing");
        assertEquals(List.of("b/mid", "a/cheap", "c/premium"), keys(writing));
        assertEquals("writing", writing.preferenceContext());
        assertEquals(List.of("a/cheap", "c/premium", "b/mid"), keys(prefRoute("u", "coding")));
        assertEquals(List.of("a/cheap", "c/premium", "b/mid"), keys(prefRoute("u", "default")));
        assertEquals(List.of("c/premium", "a/cheap", "b/mid"), keys(prefRoute("other", "writing")));
        assertEquals(List.of("u:writing", "u:default", "u:default"), used);
        // the preferred provider's circuit is open: the default preference serves first
        open = Set.of("b");
        assertEquals(List.of("a/cheap", "c/premium"), keys(prefRoute("u", "writing")));
        assertEquals("u:default", used.get(used.size() - 1));
        // a preference outside the requested model's candidates changes nothing
        Resolution pinned = new Resolution("c/premium", List.of(PREMIUM), "pinned");
        ModelRouter.Route r = router().routeAsync(pinned, simple(), RoutePolicy.USER_PREFERENCE, "u", "writing").await().indefinitely();
        assertEquals(List.of("c/premium"), keys(r));
        assertNull(r.preferenceContext());
        // other policies never load preferences; no caller → no load either
        int before = loads.size();
        router().routeAsync(GROUP, simple(), RoutePolicy.COST, "u", "writing").await().indefinitely();
        prefRoute(null, "writing");
        assertEquals(before, loads.size());
    }

    @Test
    void contextWindowFiltersSmallModels() throws Exception {
        String prompt = "a".repeat(40_000); // ~10,000 tokens
        RequestProfile p = profile("{\"model\":\"grp\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}");
        assertTrue(p.promptTokens() >= 10_000 && p.promptTokens() < 10_100);
        assertEquals(List.of("b/mid", "c/premium"), keys(router().route(GROUP, p, RoutePolicy.COST, null, "default")));
        RequestProfile withBudget = profile("{\"model\":\"grp\",\"max_tokens\":8000,\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}");
        assertEquals(List.of("c/premium"), keys(router().route(GROUP, withBudget, RoutePolicy.COST, null, "default")));
    }

    @Test
    void capabilitiesFilterAndNoneLeftIs400SayingWhy() throws Exception {
        ModelInfo.Capabilities textOnly = new ModelInfo.Capabilities(false, false, false, false);
        Candidate plain = c("p", "plain", 8192, "0.001", "0.001", 0.5, textOnly);
        Resolution res = new Resolution("m", List.of(plain, MID), "model-match");
        for (String extra : List.of(",\"stream\":true", ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]",
                ",\"response_format\":{\"type\":\"json_object\"}")) {
            RequestProfile p = profile("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}");
            assertEquals(List.of("b/mid"), keys(router().route(res, p, RoutePolicy.COST, null, "default")), extra);
        }
        RequestProfile image = profile("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]}]}");
        assertTrue(image.images());
        assertEquals(List.of("b/mid"), keys(router().route(res, image, RoutePolicy.COST, null, "default")));
        ApiException e = assertThrows(ApiException.class, () -> router().route(
                new Resolution("p/plain", List.of(plain), "pinned"), image, RoutePolicy.COST, null, "default"));
        assertEquals(400, e.error().status());
        assertEquals("no_capable_candidate", e.error().code());
        assertTrue(e.error().message().contains("p/plain: no image input"), e.error().message());
    }

    @Test
    void everyCapableProviderOpenIs503() throws Exception {
        open = Set.of("a", "b", "c");
        ApiException e = assertThrows(ApiException.class, () -> router().route(GROUP, simple(), RoutePolicy.COST, null, "default"));
        assertEquals(503, e.error().status());
        assertEquals("5", e.error().headers().get("retry-after"));
    }

    // ------------------------------------------------------------------ provider priority

    static Candidate prio(Candidate c, int priority) {
        return new Candidate(c.providerId(), c.modelId(), c.contextWindow(), c.info(), priority);
    }

    @Test
    void higherPriorityComesFirstInTheConfiguredOrderAndEqualPrioritiesKeepIt() throws Exception {
        Resolution res = new Resolution("grp", List.of(PREMIUM, CHEAP, prio(MID, 5)), "group:grp");
        // user-preference without preferences: the configured order, priority first
        assertEquals(List.of("b/mid", "c/premium", "a/cheap"), keys(router().route(res, simple(), RoutePolicy.USER_PREFERENCE, null, "default")));
        Resolution allZero = new Resolution("grp", List.of(PREMIUM, CHEAP, MID), "group:grp");
        assertEquals(List.of("c/premium", "a/cheap", "b/mid"), keys(router().route(allZero, simple(), RoutePolicy.USER_PREFERENCE, null, "default")));
    }

    @Test
    void priorityBreaksAPolicysTiesOnly() throws Exception {
        Candidate x = c("x", "m", 8192, "0.001", "0.002", 0.7, ALL);
        Candidate y = prio(c("y", "m", 8192, "0.001", "0.002", 0.7, ALL), 2);
        Candidate cheap = prio(CHEAP, -1);
        Resolution res = new Resolution("m", List.of(x, y, cheap), "model-match");
        // cost: the cheapest wins whatever its priority; x and y cost the same: y (priority 2) first
        assertEquals(List.of("a/cheap", "y/m", "x/m"), keys(router().route(res, simple(), RoutePolicy.COST, null, "default")));
        // quality: x and y equal (0.7) above cheap (0.5): y first
        assertEquals(List.of("y/m", "x/m", "a/cheap"), keys(router().route(res, simple(), RoutePolicy.QUALITY, null, "default")));
        // latency: none measured, all equal: priority order
        assertEquals(List.of("y/m", "x/m", "a/cheap"), keys(router().route(res, simple(), RoutePolicy.LATENCY, null, "default")));
    }

    @Test
    void roundRobinRotatesThePriorityOrderedList() throws Exception {
        Resolution res = new Resolution("grp", List.of(PREMIUM, CHEAP, prio(MID, 1)), "group:grp");
        assertEquals(List.of("b/mid", "c/premium", "a/cheap"), keys(router().route(res, simple(), RoutePolicy.ROUND_ROBIN, null, "default")));
        assertEquals(List.of("c/premium", "a/cheap", "b/mid"), keys(router().route(res, simple(), RoutePolicy.ROUND_ROBIN, null, "default")));
    }

    @Test
    void aPreferenceStillBeatsPriority() throws Exception {
        prefs = uid -> Uni.createFrom().item(new UserPreferences(Map.of("default", "a/cheap")));
        Resolution res = new Resolution("grp", List.of(PREMIUM, CHEAP, prio(MID, 3)), "group:grp");
        ModelRouter.Route r = router().routeAsync(res, simple(), RoutePolicy.USER_PREFERENCE, "u", "default").await().indefinitely();
        assertEquals(List.of("a/cheap", "b/mid", "c/premium"), keys(r));
    }
}
