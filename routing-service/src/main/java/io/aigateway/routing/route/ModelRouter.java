package io.aigateway.routing.route;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.RoutePolicy;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders a resolution's candidates by one policy (docs/architecture.md, "Routing"), after dropping those that
 * cannot serve the request (context window, streaming, tools, images, {@code response_format} json) and
 * those whose circuit is open. Pure logic over injected views; never blocks, never calls Redis itself.
 * <ul>
 * <li>{@code cost}: estimated cost (prompt estimate × prompt price + completion budget × completion price), cheapest first</li>
 * <li>{@code quality}: catalog quality score, highest first</li>
 * <li>{@code latency}: recent-weighted latency, fastest first; unmeasured candidates first (so they get measured)</li>
 * <li>{@code round-robin}: the configured order rotated by a shared position</li>
 * <li>{@code user-preference}: the caller's preferred candidate for the request's context first, then their
 * {@code default} context's, then the rest in the configured order (a preferred candidate that was filtered out or
 * whose circuit is open is simply not there: the others serve). Preferences come from {@link PreferenceSource},
 * loaded asynchronously by {@link #routeAsync}; the other policies never wait for anything.</li>
 * </ul>
 * Before the policy, the candidates are put in provider priority order (higher first; equal priorities keep the
 * configured order): that is the configured (fallback) order the policies start from. Every policy's sort is stable,
 * so candidates a policy ranks equal stay in priority order; round-robin rotates the priority-ordered list.
 */
public final class ModelRouter {

    private static final Logger LOG = Logger.getLogger(ModelRouter.class);

    /**
     * The ordered candidates and the route reason ({@code <resolution reason>,policy:<name>}); {@code preferenceContext}
     * is the context whose stored preference put the first candidate first (null when no preference decided).
     */
    public record Route(Resolution resolution, RoutePolicy policy, String preferenceContext) {
    }

    private final LatencyView latency;
    private final RoundRobinPositions roundRobin;
    private final BreakerView breakers;
    private final PreferenceSource preferences;
    private final long noCandidateRetryAfterSeconds;

    public ModelRouter(LatencyView latency, RoundRobinPositions roundRobin, BreakerView breakers,
                       PreferenceSource preferences, long noCandidateRetryAfterSeconds) {
        this.latency = latency;
        this.roundRobin = roundRobin;
        this.breakers = breakers;
        this.preferences = preferences;
        this.noCandidateRetryAfterSeconds = noCandidateRetryAfterSeconds;
    }

    /**
     * Routes a request: for {@code user-preference} with a known caller, after loading the caller's preferences
     * (asynchronously, from {@link PreferenceSource}); for every other policy synchronously at subscription.
     * A preference that decided the route is reported to {@link PreferenceSource#used}.
     * Fails with the {@link io.aigateway.contracts.error.ApiException} of {@link #route}.
     */
    public Uni<Route> routeAsync(Resolution resolution, RequestProfile profile, RoutePolicy policy, String userId,
                                 String context) {
        if (policy != RoutePolicy.USER_PREFERENCE || userId == null || userId.isEmpty()) {
            return Uni.createFrom().item(() -> route(resolution, profile, policy, userId, context, UserPreferences.NONE));
        }
        return preferences.load(userId).map(p -> {
            Route r = route(resolution, profile, policy, userId, context, p);
            if (r.preferenceContext() != null) {
                preferences.used(userId, r.preferenceContext());
            }
            return r;
        });
    }

    /** {@link #route(Resolution, RequestProfile, RoutePolicy, String, String, UserPreferences)} without stored preferences. */
    public Route route(Resolution resolution, RequestProfile profile, RoutePolicy policy, String userId, String context) {
        return route(resolution, profile, policy, userId, context, UserPreferences.NONE);
    }

    /**
     * @param prefs the caller's preferences (used by {@code user-preference} only)
     * @throws io.aigateway.contracts.error.ApiException 400 when no candidate can serve the request (the
     *                                                   message says why), 503 when every capable one has an open circuit
     */
    public Route route(Resolution resolution, RequestProfile profile, RoutePolicy policy, String userId, String context,
                       UserPreferences prefs) {
        List<Candidate> in = resolution.candidates();
        List<Candidate> capable = new ArrayList<>(in.size());
        StringBuilder why = null;
        for (Candidate c : in) {
            String reason = unfit(c, profile);
            if (reason == null) {
                capable.add(c);
            } else {
                why = (why == null ? new StringBuilder(64) : why.append("; ")).append(c.key()).append(": ").append(reason);
            }
        }
        if (capable.isEmpty()) {
            throw ApiError.badRequest("No candidate for model '" + resolution.requestedModel()
                    + "' can serve this request: " + why + ".", null, "no_capable_candidate").exception();
        }
        List<Candidate> permitted = new ArrayList<>(capable.size());
        for (Candidate c : capable) {
            if (breakers.permits(c.providerId())) {
                permitted.add(c);
            }
        }
        if (permitted.isEmpty()) {
            throw ApiError.noCandidate("Every provider for model '" + resolution.requestedModel()
                    + "' is failing (circuit open); try again shortly.", noCandidateRetryAfterSeconds).exception();
        }
        byPriority(permitted);
        List<Candidate> ordered;
        String preferenceContext = null;
        if (policy == RoutePolicy.USER_PREFERENCE) {
            ordered = new ArrayList<>(permitted);
            preferenceContext = byPreference(ordered, prefs, context);
        } else {
            ordered = order(resolution, permitted, profile, policy);
        }
        return new Route(new Resolution(resolution.requestedModel(), ordered,
                resolution.reason() + ",policy:" + policy.wireName()), policy, preferenceContext);
    }

    /** Higher {@link Candidate#priority()} first, in place; stable (equal priorities keep their order). */
    static void byPriority(List<Candidate> list) {
        for (int i = 1; i < list.size(); i++) {
            if (list.get(i).priority() != list.get(0).priority()) {
                list.sort(Comparator.comparingInt(Candidate::priority).reversed());
                return;
            }
        }
    }

    /**
     * Moves the preferred candidates of {@code context}, then of {@code default}, to the front of {@code list} (in
     * place). @return the context whose preference is now first, or null when neither preferred candidate is present
     */
    static String byPreference(List<Candidate> list, UserPreferences prefs, String context) {
        if (prefs == null || prefs.isEmpty()) {
            return null;
        }
        String forContext = prefs.forContext(context);
        String forDefault = AigwHeaders.DEFAULT_CONTEXT.equals(context) ? null : prefs.forContext(AigwHeaders.DEFAULT_CONTEXT);
        String first = null;
        if (moveTo(list, forDefault, 0)) {
            first = AigwHeaders.DEFAULT_CONTEXT;
        }
        if (moveTo(list, forContext, 0)) {
            first = context;
        }
        return first;
    }

    private static boolean moveTo(List<Candidate> list, String key, int index) {
        if (key == null) {
            return false;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).key().equals(key)) {
                list.add(index, list.remove(i));
                return true;
            }
        }
        return false;
    }

    /** Why {@code c} cannot serve the request, or null when it can. Unknown capabilities do not exclude. */
    static String unfit(Candidate c, RequestProfile p) {
        if (c.contextWindow() > 0 && p.contextNeeded() > c.contextWindow()) {
            return "context window " + c.contextWindow() + " < ~" + p.contextNeeded() + " tokens needed";
        }
        ModelInfo mi = c.info();
        ModelInfo.Capabilities caps = mi == null ? null : mi.capabilities();
        if (caps == null) {
            return null;
        }
        if (p.stream() && !caps.streaming()) {
            return "no streaming";
        }
        if (p.tools() && !caps.tools()) {
            return "no tools";
        }
        if (p.images() && !caps.images()) {
            return "no image input";
        }
        if (p.json() && !caps.json()) {
            return "no JSON response_format";
        }
        return null;
    }

    private List<Candidate> order(Resolution resolution, List<Candidate> list, RequestProfile profile,
                                  RoutePolicy policy) {
        if (list.size() < 2) {
            return list;
        }
        switch (policy) {
            case COST -> {
                double[] cost = new double[list.size()];
                List<Integer> idx = indexes(list.size());
                for (int i = 0; i < cost.length; i++) {
                    cost[i] = estimatedCostUsd(list.get(i), profile);
                }
                idx.sort(Comparator.comparingDouble(i -> cost[i]));
                List<Candidate> out = pick(list, idx);
                if (LOG.isDebugEnabled()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i : idx) {
                        sb.append(list.get(i).key()).append('=').append(cost[i] == Double.MAX_VALUE ? "unknown" : cost[i]).append(' ');
                    }
                    LOG.debugf("cost comparison (prompt ~%d, max %d tokens): %s", profile.promptTokens(), profile.maxTokens(), sb);
                }
                return out;
            }
            case QUALITY -> {
                List<Candidate> out = new ArrayList<>(list);
                out.sort(Comparator.comparingDouble((Candidate c) -> c.info() == null ? 0 : c.info().qualityScore()).reversed());
                return out;
            }
            case LATENCY -> {
                double[] ms = new double[list.size()];
                List<Integer> idx = indexes(list.size());
                for (int i = 0; i < ms.length; i++) {
                    double v = latency.latencyMs(list.get(i).key());
                    ms[i] = v < 0 ? -1 : v;
                }
                idx.sort(Comparator.comparingDouble(i -> ms[i]));
                return pick(list, idx);
            }
            case ROUND_ROBIN -> {
                int n = list.size();
                int start = (int) Math.floorMod(roundRobin.next(resolution.requestedModel()), (long) n);
                List<Candidate> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(list.get((start + i) % n));
                }
                return out;
            }
            default -> {
                return list;
            }
        }
    }

    /** Estimated USD of the request on {@code c}; {@link Double#MAX_VALUE} when its prices are unknown. */
    public static double estimatedCostUsd(Candidate c, RequestProfile p) {
        ModelInfo mi = c.info();
        if (mi == null || mi.promptPricePer1k() == null || mi.completionPricePer1k() == null) {
            return Double.MAX_VALUE;
        }
        return p.promptTokens() / 1000.0 * price(mi.promptPricePer1k()) + p.maxTokens() / 1000.0 * price(mi.completionPricePer1k());
    }

    private static double price(BigDecimal d) {
        return d.doubleValue();
    }

    private static List<Integer> indexes(int n) {
        List<Integer> idx = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            idx.add(i);
        }
        return idx;
    }

    private static List<Candidate> pick(List<Candidate> list, List<Integer> idx) {
        List<Candidate> out = new ArrayList<>(idx.size());
        for (int i : idx) {
            out.add(list.get(i));
        }
        return out;
    }
}
