package io.aigateway.routing.metrics;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.internal.RoutePolicy;
import io.aigateway.routing.catalog.Catalog;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Bounded label values (the cardinality rule of docs/architecture.md, "Observability"): provider and model ids only
 * as the provider catalog (or a model group) lists them, else {@code other}; {@code none} when there is none; policies
 * by their five wire names; contexts from {@code aigw.metrics.contexts}; error types only as short codes. Never a user,
 * key or request id. The catalog's model ids are collected once per catalog snapshot (a map lookup per request).
 */
public final class MetricLabels {

    public static final String NONE = "none";
    public static final String OTHER = "other";
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.-]{1,48}");

    private final Supplier<Catalog> catalog;
    private final Supplier<? extends Map<String, ?>> groups;
    private final Set<String> contexts;
    private volatile Catalog seen;
    private volatile Set<String> models = Set.of();

    public MetricLabels(Supplier<Catalog> catalog, Supplier<? extends Map<String, ?>> groups, Collection<String> contexts) {
        this.catalog = catalog;
        this.groups = groups;
        this.contexts = Set.copyOf(contexts);
    }

    public String provider(String id) {
        if (id == null || id.isEmpty()) {
            return NONE;
        }
        Catalog c = catalog.get();
        return c != null && c.provider(id) != null ? id : OTHER;
    }

    /** A model id (bare or {@code provider/model}) the catalog lists, or a model group's name. */
    public String model(String id) {
        if (id == null || id.isEmpty()) {
            return NONE;
        }
        if (models().contains(id)) {
            return id;
        }
        Map<String, ?> g = groups == null ? null : groups.get();
        return g != null && g.containsKey(id) ? id : OTHER;
    }

    public String policy(String policy) {
        return policy != null && RoutePolicy.fromWire(policy) != null ? policy : OTHER;
    }

    public String context(String context) {
        return context != null && contexts.contains(context) ? context : OTHER;
    }

    /** An error class or code as the code base names them (short, no spaces), else {@code other}; null is {@code none}. */
    public static String errorType(String errorClass) {
        if (errorClass == null || errorClass.isEmpty()) {
            return NONE;
        }
        return CODE.matcher(errorClass).matches() ? errorClass : OTHER;
    }

    private Set<String> models() {
        Catalog c = catalog.get();
        if (c == null) {
            return Set.of();
        }
        if (c != seen) {
            Set<String> ids = new HashSet<>();
            for (ProviderInfo p : c.providers()) {
                if (p.models() == null) {
                    continue;
                }
                for (ModelInfo m : p.models()) {
                    if (m != null && m.id() != null) {
                        ids.add(m.id());
                        ids.add(p.id() + "/" + m.id());
                    }
                }
            }
            models = Set.copyOf(ids);
            seen = c;
        }
        return models;
    }
}
