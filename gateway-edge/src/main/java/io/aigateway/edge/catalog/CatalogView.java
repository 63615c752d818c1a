package io.aigateway.edge.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The public model catalog: routing-service's {@code /internal/v1/models/catalog} merged with usage-service's
 * {@code /internal/v1/usage/performance}, plus {@code description} and {@code recommended}.
 * <p>
 * <b>The recommendation rule</b> ({@link #recommend}): only models whose {@code availability.status} is
 * {@code available} are candidates (not degraded, not unavailable). Per context:
 * <ul>
 *   <li>{@code default}: the best quality per cost: highest {@code qualityScore / (promptPer1k + completionPer1k)}
 *       (a free or unpriced model counts as costing 0.000001).</li>
 *   <li>{@code writing}: the highest {@code qualityScore}.</li>
 *   <li>{@code dictionary} (short look-ups, speed first): the lowest {@code performance.p95LatencyMs} among models
 *       with recent traffic; without any traffic data, the cheapest ({@code promptPer1k + completionPer1k}).</li>
 * </ul>
 * Ties go to the lower p95 latency (unknown last), then the lower price, then the id. {@code recommended.value} is
 * true when the model is recommended for at least one context.
 */
public final class CatalogView {

    public static final List<String> CONTEXTS = List.of("default", "writing", "dictionary");
    static final BigDecimal MIN_PRICE = new BigDecimal("0.000001");

    // ---- routing-service's catalog (input) ----

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RoutingCatalog(List<RoutingModel> models, List<RoutingGroup> groups) {
        public RoutingCatalog {
            models = models == null ? List.of() : models;
            groups = groups == null ? List.of() : groups;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RoutingModel(String id, String provider, String model, String displayName, int contextWindow,
                               Capabilities capabilities, Pricing pricing, boolean enabled, int priority,
                               double qualityScore, Availability availability) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RoutingGroup(String name, List<String> members) {
    }

    // ---- usage-service's performance (input) ----

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UsagePerformance(String window, List<UsageModel> models) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UsageModel(String provider, String model, long requests, Double successRate, Long avgLatencyMs,
                             Long p95LatencyMs, Long ttftMsP50) {
    }

    // ---- the public answer ----

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Capabilities(boolean streaming, boolean tools, boolean json, boolean vision) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pricing(String promptPer1k, String completionPer1k, String currency) {
    }

    public record Performance(Long avgLatencyMs, Long p95LatencyMs, Long ttftMsP50, Double successRate, long requests,
                              String window) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Availability(String status, String health, String breaker) {
    }

    public record Recommended(boolean value, List<String> contexts) {
    }

    public record Model(String id, String provider, String displayName, String description, int contextWindow,
                        Capabilities capabilities, Pricing pricing, Performance performance, Availability availability,
                        Recommended recommended) {
    }

    public record GroupAvailability(String status) {
    }

    public record Group(String id, List<String> members, GroupAvailability availability) {
    }

    public record Catalog(List<Model> models, List<Group> groups) {

        public Model model(String id) {
            return models.stream().filter(m -> m.id().equals(id)).findFirst().orElse(null);
        }

        public Group group(String id) {
            return groups.stream().filter(g -> g.id().equals(id)).findFirst().orElse(null);
        }
    }

    /** One group with its members' entries ({@code GET /api/v1/ai/models/{group}}). */
    public record GroupDetail(String id, List<String> members, GroupAvailability availability, List<Model> models) {
    }

    private CatalogView() {
    }

    /**
     * @param performance null when usage-service did not answer: every {@code performance} is then null
     * @param descriptions configured descriptions by model id
     */
    public static Catalog merge(RoutingCatalog routing, UsagePerformance performance, String window,
                                Map<String, String> descriptions) {
        Map<String, UsageModel> perf = new LinkedHashMap<>();
        if (performance != null && performance.models() != null) {
            for (UsageModel u : performance.models()) {
                perf.put(u.provider() + "/" + u.model(), u);
            }
        }
        String w = performance != null && performance.window() != null ? performance.window() : window;
        Map<String, Performance> perfById = new LinkedHashMap<>();
        for (RoutingModel m : routing.models()) {
            if (performance == null) {
                continue;
            }
            UsageModel u = perf.get(m.id());
            perfById.put(m.id(), u == null ? new Performance(null, null, null, null, 0, w)
                    : new Performance(u.avgLatencyMs(), u.p95LatencyMs(), u.ttftMsP50(), u.successRate(), u.requests(), w));
        }
        Map<String, List<String>> recommended = recommend(routing.models(), perfById::get);
        List<Model> models = new ArrayList<>();
        Map<String, String> statusById = new LinkedHashMap<>();
        for (RoutingModel m : routing.models()) {
            List<String> contexts = recommended.getOrDefault(m.id(), List.of());
            String configured = descriptions.get(m.id());
            models.add(new Model(m.id(), m.provider(), m.displayName(),
                    configured != null ? configured : describe(m), m.contextWindow(),
                    m.capabilities() == null ? new Capabilities(false, false, false, false) : m.capabilities(),
                    m.pricing() == null ? new Pricing(null, null, "USD") : m.pricing(),
                    perfById.get(m.id()), m.availability(), new Recommended(!contexts.isEmpty(), contexts)));
            statusById.put(m.id(), m.availability() == null ? "unavailable" : m.availability().status());
        }
        List<Group> groups = new ArrayList<>();
        for (RoutingGroup g : routing.groups()) {
            List<String> members = g.members() == null ? List.of() : List.copyOf(g.members());
            groups.add(new Group(g.name(), members, new GroupAvailability(groupStatus(members, statusById::get))));
        }
        return new Catalog(List.copyOf(models), List.copyOf(groups));
    }

    /** A group is available when a member is, else degraded when a member is, else unavailable. */
    static String groupStatus(List<String> members, Function<String, String> status) {
        String best = "unavailable";
        for (String m : members) {
            String s = status.apply(m);
            if ("available".equals(s)) {
                return s;
            }
            if ("degraded".equals(s)) {
                best = s;
            }
        }
        return best;
    }

    static String describe(RoutingModel m) {
        String name = m.displayName() == null ? m.model() : m.displayName();
        return name + " served by " + m.provider()
                + (m.contextWindow() > 0 ? ", context window " + m.contextWindow() + " tokens" : "") + ".";
    }

    /** The rule of the class comment: model id → the contexts it is recommended for (in {@link #CONTEXTS} order). */
    static Map<String, List<String>> recommend(List<RoutingModel> models, Function<String, Performance> performance) {
        List<RoutingModel> candidates = models.stream()
                .filter(m -> m.enabled() && m.availability() != null && "available".equals(m.availability().status()))
                .toList();
        Map<String, List<String>> out = new TreeMap<>();
        if (candidates.isEmpty()) {
            return out;
        }
        Function<RoutingModel, Long> p95 = m -> {
            Performance p = performance.apply(m.id());
            return p == null || p.requests() == 0 ? null : p.p95LatencyMs();
        };
        Comparator<RoutingModel> ties = Comparator.comparing(p95, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(CatalogView::price)
                .thenComparing(RoutingModel::id);
        Map<String, RoutingModel> best = new LinkedHashMap<>();
        best.put("default", pick(candidates, Comparator.comparing(
                (RoutingModel m) -> BigDecimal.valueOf(m.qualityScore()).divide(price(m).max(MIN_PRICE), 12,
                        java.math.RoundingMode.HALF_UP)).reversed().thenComparing(ties)));
        best.put("writing", pick(candidates, Comparator.comparingDouble(RoutingModel::qualityScore).reversed()
                .thenComparing(ties)));
        boolean anyTraffic = candidates.stream().anyMatch(m -> p95.apply(m) != null);
        best.put("dictionary", pick(candidates, anyTraffic
                ? Comparator.comparing(p95, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Comparator.comparingDouble(RoutingModel::qualityScore).reversed()).thenComparing(ties)
                : Comparator.comparing(CatalogView::price)
                .thenComparing(Comparator.comparingDouble(RoutingModel::qualityScore).reversed()).thenComparing(ties)));
        for (String context : CONTEXTS) {
            out.computeIfAbsent(best.get(context).id(), k -> new ArrayList<>()).add(context);
        }
        return out;
    }

    private static RoutingModel pick(List<RoutingModel> candidates, Comparator<RoutingModel> order) {
        return candidates.stream().min(order).orElseThrow();
    }

    /** promptPer1k + completionPer1k; unknown prices count as 0. */
    static BigDecimal price(RoutingModel m) {
        if (m.pricing() == null) {
            return BigDecimal.ZERO;
        }
        return decimal(m.pricing().promptPer1k()).add(decimal(m.pricing().completionPer1k()));
    }

    private static BigDecimal decimal(String s) {
        if (s == null || s.isBlank()) {
            return BigDecimal.ZERO;
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO;
        }
    }
}
