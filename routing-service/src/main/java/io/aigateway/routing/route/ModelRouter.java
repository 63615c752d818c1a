package io.aigateway.routing.route;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.RoutePolicy;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders a resolution's candidates by one policy (ARCHITECTURE.md, "Routing"), after dropping those that
 * cannot serve the request (context window, streaming, tools, images, {@code response_format} json) and
 * those whose circuit is open. Pure logic over injected views; never blocks, never calls Redis itself.
 * <ul>
 * <li>{@code cost}: estimated cost (prompt estimate × prompt price + completion budget × completion price), cheapest first</li>
 * <li>{@code quality}: catalog quality score, highest first</li>
 * <li>{@code latency}: recent-weighted latency, fastest first; unmeasured candidates first (so they get measured)</li>
 * <li>{@code round-robin}: the configured order rotated by a shared position</li>
 * <li>{@code user-preference}: the caller's preferred candidate first, else the configured order</li>
 * </ul>
 * Sorting is stable: ties keep the configured order.
 */
public final class ModelRouter {

    private static final Logger LOG = Logger.getLogger(ModelRouter.class);

    /** The ordered candidates and the route reason ({@code <resolution reason>,policy:<name>}). */
    public record Route(Resolution resolution, RoutePolicy policy) {
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
     * @throws io.aigateway.contracts.error.ApiException 400 when no candidate can serve the request (the
     *                                                   message says why), 503 when every capable one has an open circuit
     */
    public Route route(Resolution resolution, RequestProfile profile, RoutePolicy policy, String userId, String context) {
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
        List<Candidate> ordered = order(resolution, permitted, profile, policy, userId, context);
        return new Route(new Resolution(resolution.requestedModel(), ordered,
                resolution.reason() + ",policy:" + policy.wireName()), policy);
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
                                  RoutePolicy policy, String userId, String context) {
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
            case USER_PREFERENCE -> {
                String preferred = userId == null ? null : preferences.preferred(userId, context);
                if (preferred == null) {
                    return list;
                }
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i).key().equals(preferred)) {
                        List<Candidate> out = new ArrayList<>(list);
                        out.add(0, out.remove(i));
                        return out;
                    }
                }
                return list;
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
