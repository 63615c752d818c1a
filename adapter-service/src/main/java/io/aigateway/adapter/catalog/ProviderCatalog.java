package io.aigateway.adapter.catalog;

import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderAdapterFactory;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.contracts.catalog.ModelInfo;
import io.quarkus.arc.All;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The provider catalog, built once at start from {@code aigw.providers.*}: validated settings and one
 * adapter (with its own HTTP pool) per provider, created by the factory registered for its kind.
 * Fails the start with a clear message on an invalid id, unknown kind or missing base URL.
 */
@Startup
@ApplicationScoped
public class ProviderCatalog {

    private static final Logger LOG = Logger.getLogger(ProviderCatalog.class);
    public static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*");

    private final Map<String, ProviderAdapter> adapters;

    @Inject
    public ProviderCatalog(AigwConfig config, @All List<ProviderAdapterFactory> factories) {
        this(resolve(config.providers(), factories, System::getenv), factories);
    }

    ProviderCatalog(List<ProviderSettings> settings, List<ProviderAdapterFactory> factories) {
        Map<String, ProviderAdapterFactory> byKind = byKind(factories);
        Map<String, ProviderAdapter> built = new LinkedHashMap<>();
        for (ProviderSettings s : settings) {
            built.put(s.id(), byKind.get(s.kind()).create(s));
            LOG.infof("provider %s (kind %s): %s, models %s", s.id(), s.kind(),
                    s.enabled() ? "enabled" : "disabled, " + s.disabledReason(),
                    s.models().stream().map(ModelInfo::id).toList());
        }
        this.adapters = Map.copyOf(built);
    }

    /** Validates and resolves the configuration; {@code env} supplies {@code AIGW_PROVIDERS_<ID>_API_KEY}. */
    public static List<ProviderSettings> resolve(Map<String, AigwConfig.ProviderConfig> providers,
                                                 List<ProviderAdapterFactory> factories,
                                                 Function<String, String> env) {
        Map<String, ProviderAdapterFactory> byKind = byKind(factories);
        List<ProviderSettings> out = new ArrayList<>();
        for (Map.Entry<String, AigwConfig.ProviderConfig> e : new TreeMap<>(providers).entrySet()) {
            String id = e.getKey();
            AigwConfig.ProviderConfig pc = e.getValue();
            if (!ID.matcher(id).matches()) {
                throw new IllegalStateException("Invalid provider id '" + id + "' in aigw.providers: ids must match "
                        + ID.pattern() + " (lower-case letters and digits, starting with a letter)");
            }
            String kind = pc.kind().trim().toLowerCase(Locale.ROOT);
            ProviderAdapterFactory factory = byKind.get(kind);
            if (factory == null) {
                throw new IllegalStateException("Provider '" + id + "' has unknown kind '" + pc.kind()
                        + "'; known kinds: " + byKind.keySet());
            }
            String baseUrl = pc.baseUrl().map(String::trim).filter(s -> !s.isEmpty()).orElseThrow(() ->
                    new IllegalStateException("Provider '" + id + "' has no base URL: set aigw.providers." + id
                            + ".base-url or AIGW_PROVIDERS_" + id.toUpperCase(Locale.ROOT) + "_BASE_URL"));
            baseUrl = validateUrl(id, baseUrl);
            String envName = "AIGW_PROVIDERS_" + id.toUpperCase(Locale.ROOT) + "_API_KEY";
            String apiKey = pc.apiKey().map(String::trim).filter(s -> !s.isEmpty())
                    .orElseGet(() -> blankToNull(env.apply(envName)));
            boolean requiresKey = pc.requiresApiKey().orElse(factory.requiresApiKeyByDefault());
            String disabledReason = null;
            if (!pc.enabled()) {
                disabledReason = "disabled by configuration";
            } else if (requiresKey && apiKey == null) {
                disabledReason = "no API key configured (" + envName + ")";
            }
            out.add(new ProviderSettings(id, kind, pc.displayName().orElse(id), baseUrl, apiKey,
                    disabledReason == null, disabledReason, models(id, pc.models()), pc.pool(), pc.timeouts()));
        }
        return out;
    }

    private static List<ModelInfo> models(String providerId, List<AigwConfig.ModelConfig> configs) {
        List<ModelInfo> models = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (AigwConfig.ModelConfig m : configs) {
            if (m.id().isBlank() || !seen.add(m.id())) {
                throw new IllegalStateException("Provider '" + providerId + "' has an empty or duplicate model id '"
                        + m.id() + "'");
            }
            if (m.promptPricePer1k().signum() < 0 || m.completionPricePer1k().signum() < 0) {
                throw new IllegalStateException("Model '" + providerId + "/" + m.id() + "' has a negative price");
            }
            models.add(new ModelInfo(m.id(), m.displayName().orElse(m.id()), m.contextWindow(),
                    m.promptPricePer1k(), m.completionPricePer1k(), m.qualityScore(),
                    new ModelInfo.Capabilities(m.streaming(), m.tools(), m.images(), m.json())));
        }
        return models;
    }

    private static String validateUrl(String id, String url) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try {
            URI uri = URI.create(u);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            if (uri.getUserInfo() != null) {
                throw new IllegalArgumentException("credentials in the URL are not allowed; use api-key");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Provider '" + id + "' has an invalid base URL: " + e.getMessage());
        }
        return u;
    }

    private static Map<String, ProviderAdapterFactory> byKind(List<ProviderAdapterFactory> factories) {
        Map<String, ProviderAdapterFactory> byKind = new TreeMap<>();
        for (ProviderAdapterFactory f : factories) {
            if (byKind.put(f.kind(), f) != null) {
                throw new IllegalStateException("Two adapter factories for kind '" + f.kind() + "'");
            }
        }
        return byKind;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** @return the adapter of that provider, or null when unknown */
    public ProviderAdapter adapter(String id) {
        return id == null ? null : adapters.get(id);
    }

    public Collection<ProviderAdapter> adapters() {
        return adapters.values();
    }

    @PreDestroy
    void close() {
        adapters.values().forEach(ProviderAdapter::close);
    }
}
