package io.aigateway.routing.route;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.routing.catalog.Catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves a requested model name to candidates (docs/architecture.md, "Model names"): (1) a configured model
 * group, (2) {@code <providerId>/<modelId>} for a provider of the catalog (pinned; the model id may contain
 * '/'), (3) a bare model id, to every provider whose catalog lists it, in catalog order. Disabled and
 * unhealthy providers and disabled models are skipped (matched but unavailable: 503, as for a disabled provider).
 * Groups come from {@link ModelGroups} (file + published). Pure logic: the catalog is passed in.
 */
public final class ModelResolver {

    /** A group member as configured: {@code providerId/modelId}. */
    public record GroupMember(String providerId, String modelId) {
    }

    private final ModelGroups groups;
    private final long noCandidateRetryAfterSeconds;

    public ModelResolver(ModelGroups groups, long noCandidateRetryAfterSeconds) {
        this.groups = groups;
        this.noCandidateRetryAfterSeconds = noCandidateRetryAfterSeconds;
    }

    /** With the file's groups only. */
    public ModelResolver(Map<String, String> groupConfig, long noCandidateRetryAfterSeconds) {
        this(new ModelGroups(groupConfig), noCandidateRetryAfterSeconds);
    }

    /** The groups in force now (file + published). */
    public Map<String, List<GroupMember>> groups() {
        return groups.current();
    }

    /**
     * @throws io.aigateway.contracts.error.ApiException 404 {@code model_not_found} when nothing matches,
     *                                                   503 with {@code retry-after} when matches exist but none is available
     */
    public Resolution resolve(String model, Catalog catalog) {
        List<GroupMember> group = groups.current().get(model);
        if (group != null) {
            List<Candidate> out = new ArrayList<>(group.size());
            boolean matched = false;
            for (GroupMember m : group) {
                ProviderInfo p = catalog.provider(m.providerId());
                if (p == null) {
                    continue;
                }
                matched = true;
                if (Catalog.available(p, m.modelId())) {
                    out.add(candidate(p, m.modelId()));
                }
            }
            return result(model, out, matched, "group:" + model);
        }
        int slash = model.indexOf('/');
        if (slash > 0 && slash < model.length() - 1) {
            ProviderInfo p = catalog.provider(model.substring(0, slash));
            if (p != null) {
                String modelId = model.substring(slash + 1);
                List<Candidate> out = Catalog.available(p, modelId) ? List.of(candidate(p, modelId)) : List.of();
                return result(model, out, true, "pinned");
            }
        }
        List<Candidate> out = new ArrayList<>(2);
        boolean matched = false;
        for (ProviderInfo p : catalog.providers()) {
            ModelInfo mi = p.model(model);
            if (mi == null) {
                continue;
            }
            matched = true;
            if (Catalog.available(p) && mi.isEnabled()) {
                out.add(new Candidate(p.id(), mi.id(), mi.contextWindow(), mi, p.priority()));
            }
        }
        return result(model, out, matched, "model-match");
    }

    private Resolution result(String model, List<Candidate> out, boolean matched, String reason) {
        if (!out.isEmpty()) {
            return new Resolution(model, out, reason);
        }
        if (!matched) {
            throw ApiError.modelNotFound(model).exception();
        }
        throw ApiError.noCandidate("No provider is currently available for model '" + model + "'.",
                noCandidateRetryAfterSeconds).exception();
    }

    private static Candidate candidate(ProviderInfo p, String modelId) {
        ModelInfo mi = p.model(modelId);
        return new Candidate(p.id(), modelId, mi == null ? 0 : mi.contextWindow(), mi, p.priority());
    }

    /** {@code providerId/modelId} (the model id may contain '/'), or null when {@code spec} is not that. */
    static GroupMember member(String spec) {
        String s = spec == null ? "" : spec.trim();
        int slash = s.indexOf('/');
        if (slash <= 0 || slash == s.length() - 1) {
            return null;
        }
        return new GroupMember(s.substring(0, slash), s.substring(slash + 1));
    }

    static Map<String, List<GroupMember>> parseGroups(Map<String, String> config) {
        Map<String, List<GroupMember>> out = new TreeMap<>();
        if (config == null) {
            return out;
        }
        config.forEach((name, spec) -> {
            List<GroupMember> members = new ArrayList<>();
            for (String part : spec.split(",")) {
                GroupMember m = member(part);
                if (m == null) {
                    throw new IllegalArgumentException("aigw.routing.groups." + name
                            + ": member '" + part.trim() + "' is not providerId/modelId");
                }
                members.add(m);
            }
            out.put(name, List.copyOf(members));
        });
        return Collections.unmodifiableMap(out);
    }
}
