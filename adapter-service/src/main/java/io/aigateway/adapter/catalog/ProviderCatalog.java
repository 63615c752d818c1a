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

import io.aigateway.contracts.config.ProviderOverride;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The provider catalog, built once at start from {@code aigw.providers.*}: validated settings and one
 * adapter (with its own HTTP pool) per provider, created by the factory registered for its kind.
 * A provider with bad settings (invalid id, unknown kind, missing or bad base URL, non-positive timeouts,
 * bad models) is left out with one clear ERROR line per bad setting; the valid ones still serve.
 */
@Startup
@ApplicationScoped
public class ProviderCatalog {

    private static final Logger LOG = Logger.getLogger(ProviderCatalog.class);
    public static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*");
    /** Why a provider switched off in the file is disabled. */
    public static final String FILE_OFF = "disabled by configuration";

    private final Map<String, ManagedProvider> adapters;
    private final ScheduledExecutorService retirements = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aigw-adapter-retire");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public ProviderCatalog(AigwConfig config, @All List<ProviderAdapterFactory> factories) {
        this(resolveLenient(config.providers(), factories, System::getenv), factories);
    }

    ProviderCatalog(List<ProviderSettings> settings, List<ProviderAdapterFactory> factories) {
        Map<String, ProviderAdapterFactory> byKind = byKind(factories);
        Map<String, ManagedProvider> built = new LinkedHashMap<>();
        for (ProviderSettings s : settings) {
            built.put(s.id(), new ManagedProvider(s, byKind.get(s.kind())::create, this::retire));
            LOG.infof("provider %s (kind %s): %s, models %s", s.id(), s.kind(),
                    s.enabled() ? "enabled" : "disabled, " + s.disabledReason(),
                    s.models().stream().map(ModelInfo::id).toList());
        }
        this.adapters = Map.copyOf(built);
    }

    /** Resolves what is valid and logs one line per bad setting; the providers with bad settings are left out. */
    private static List<ProviderSettings> resolveLenient(Map<String, AigwConfig.ProviderConfig> providers,
                                                         List<ProviderAdapterFactory> factories,
                                                         Function<String, String> env) {
        List<String> problems = new ArrayList<>();
        List<ProviderSettings> out = resolve(providers, factories, env, problems);
        for (String p : problems) {
            LOG.errorf("invalid provider configuration: %s", p);
        }
        return out;
    }

    /** Strict: validates and resolves the configuration, failing on the first provider with bad settings. */
    public static List<ProviderSettings> resolve(Map<String, AigwConfig.ProviderConfig> providers,
                                                 List<ProviderAdapterFactory> factories,
                                                 Function<String, String> env) {
        List<String> problems = new ArrayList<>();
        List<ProviderSettings> out = resolve(providers, factories, env, problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
        return out;
    }

    /**
     * Validates and resolves the configuration; {@code env} supplies {@code AIGW_PROVIDERS_<ID>_API_KEY}.
     * Each bad setting adds one line to {@code problems} naming the provider and the property; a provider
     * with any bad setting is left out, the others are returned.
     */
    public static List<ProviderSettings> resolve(Map<String, AigwConfig.ProviderConfig> providers,
                                                 List<ProviderAdapterFactory> factories,
                                                 Function<String, String> env, List<String> problems) {
        Map<String, ProviderAdapterFactory> byKind = byKind(factories);
        List<ProviderSettings> out = new ArrayList<>();
        for (Map.Entry<String, AigwConfig.ProviderConfig> e : new TreeMap<>(providers).entrySet()) {
            List<String> mine = new ArrayList<>();
            ProviderSettings s = resolveOne(e.getKey(), e.getValue(), byKind, env, mine);
            if (mine.isEmpty() && s != null) {
                out.add(s);
            } else {
                problems.addAll(mine);
            }
        }
        return out;
    }

    private static ProviderSettings resolveOne(String id, AigwConfig.ProviderConfig pc,
                                               Map<String, ProviderAdapterFactory> byKind,
                                               Function<String, String> env, List<String> problems) {
        String prefix = "aigw.providers." + id + ".";
        if (!ID.matcher(id).matches()) {
            problems.add("Invalid provider id '" + id + "' in aigw.providers: ids must match "
                    + ID.pattern() + " (lower-case letters and digits, starting with a letter)");
            return null;
        }
        String kind = pc.kind().trim().toLowerCase(Locale.ROOT);
        ProviderAdapterFactory factory = byKind.get(kind);
        if (factory == null) {
            problems.add("Provider '" + id + "' has unknown kind '" + pc.kind() + "' (" + prefix + "kind); known kinds: "
                    + byKind.keySet());
        }
        String baseUrl = pc.baseUrl().map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (baseUrl == null) {
            problems.add("Provider '" + id + "' has no base URL: set " + prefix + "base-url or AIGW_PROVIDERS_"
                    + id.toUpperCase(Locale.ROOT) + "_BASE_URL");
        } else {
            try {
                baseUrl = validateUrl(id, baseUrl);
            } catch (IllegalStateException bad) {
                problems.add(bad.getMessage() + " (" + prefix + "base-url)");
            }
        }
        AigwConfig.Timeouts t = pc.timeouts();
        positive(problems, id, prefix + "timeouts.connect", t.connect());
        positive(problems, id, prefix + "timeouts.first-byte", t.firstByte());
        positive(problems, id, prefix + "timeouts.between-chunks", t.betweenChunks());
        positive(problems, id, prefix + "timeouts.total", t.total());
        if (pc.pool().maxConnections() < 1) {
            problems.add("Provider '" + id + "' has " + prefix + "pool.max-connections=" + pc.pool().maxConnections()
                    + "; it must be at least 1");
        }
        List<ModelInfo> models = models(id, pc.models(), problems);
        if ("tgi".equals(kind)) {
            validateTgi(id, pc, problems);
        }
        if (!problems.isEmpty() || factory == null) {
            return null;
        }
        String envName = "AIGW_PROVIDERS_" + id.toUpperCase(Locale.ROOT) + "_API_KEY";
        String apiKey = pc.apiKey().map(String::trim).filter(s -> !s.isEmpty())
                .orElseGet(() -> blankToNull(env.apply(envName)));
        boolean requiresKey = pc.requiresApiKey().orElse(factory.requiresApiKeyByDefault());
        String keyProblem = requiresKey && apiKey == null ? "no API key configured (" + envName + ")" : null;
        if (pc.rateLimitPerMinute() < 0) {
            problems.add("Provider '" + id + "' has a negative " + prefix + "rate-limit-per-minute");
            return null;
        }
        return new ProviderSettings(id, kind, pc.displayName().orElse(id), baseUrl, apiKey, pc.enabled(), keyProblem,
                FILE_OFF, models, ProviderSettings.PoolValues.of(pc.pool()), ProviderSettings.TimeoutValues.of(pc.timeouts()),
                pc, pc.priority(), pc.rateLimitPerMinute());
    }

    private static void validateTgi(String id, AigwConfig.ProviderConfig pc, List<String> problems) {
        String prefix = "aigw.providers." + id + ".";
        try {
            io.aigateway.adapter.provider.hf.ChatTemplate.of(pc.tgi().chatTemplate());
        } catch (IllegalStateException e) {
            problems.add("Provider '" + id + "' has " + e.getMessage() + " (" + prefix + "tgi.chat-template)");
        }
        for (int i = 0; i < pc.models().size(); i++) {
            int index = i;
            pc.models().get(i).chatTemplate().ifPresent(t -> {
                try {
                    io.aigateway.adapter.provider.hf.ChatTemplate.of(t);
                } catch (IllegalStateException e) {
                    problems.add("Provider '" + id + "' has " + e.getMessage() + " (" + prefix + "models[" + index + "].chat-template)");
                }
            });
        }
        String onLoading = pc.tgi().onLoading().trim().toLowerCase(Locale.ROOT);
        if (!onLoading.equals("wait") && !onLoading.equals("fallback")) {
            problems.add("Provider '" + id + "' has " + prefix + "tgi.on-loading=" + pc.tgi().onLoading() + "; use wait or fallback");
        }
        if (pc.tgi().freeTierRequestsPerMinute() < 0) {
            problems.add("Provider '" + id + "' has a negative " + prefix + "tgi.free-tier-requests-per-minute");
        }
    }

    private static void positive(List<String> problems, String id, String property, java.time.Duration d) {
        if (d.isNegative() || d.isZero()) {
            problems.add("Provider '" + id + "' has " + property + "=" + d + "; it must be positive");
        }
    }

    private static List<ModelInfo> models(String providerId, List<AigwConfig.ModelConfig> configs, List<String> problems) {
        List<ModelInfo> models = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < configs.size(); i++) {
            AigwConfig.ModelConfig m = configs.get(i);
            String prop = "aigw.providers." + providerId + ".models[" + i + "]";
            if (m.id().isBlank() || !seen.add(m.id())) {
                problems.add("Provider '" + providerId + "' has an empty or duplicate model id '" + m.id() + "' (" + prop + ".id)");
                continue;
            }
            if (m.promptPricePer1k().signum() < 0 || m.completionPricePer1k().signum() < 0) {
                problems.add("Model '" + providerId + "/" + m.id() + "' has a negative price (" + prop + ".*-price-per-1k)");
                continue;
            }
            if (m.contextWindow() < 1) {
                problems.add("Model '" + providerId + "/" + m.id() + "' has context-window " + m.contextWindow()
                        + "; it must be at least 1 (" + prop + ".context-window)");
                continue;
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

    /** @return the adapter of that provider (its settings as configured now), or null when unknown */
    public ProviderAdapter adapter(String id) {
        return managed(id);
    }

    /** @return the provider with its run-time configuration, or null when unknown */
    public ManagedProvider managed(String id) {
        return id == null ? null : adapters.get(id);
    }

    public Collection<ProviderAdapter> adapters() {
        return List.copyOf(adapters.values());
    }

    /**
     * Applies a provider's whole override from {@code ai.config.v1} (null: a tombstone, the file's settings again).
     *
     * @return false when the provider is not in this catalog
     */
    public boolean apply(String id, ProviderOverride override) {
        ManagedProvider p = managed(id);
        if (p == null) {
            return false;
        }
        boolean rebuilt = p.apply(override);
        ProviderSettings s = p.settings();
        LOG.infof("provider %s: %s applied (%s, priority %d%s)", id,
                override == null ? "file settings (override removed)" : "override revision " + override.revision(),
                s.enabled() ? "enabled" : "disabled, " + s.disabledReason(), s.priority(),
                rebuilt ? ", connection settings changed: new pool, the old one closes after its calls" : "");
        return true;
    }

    /** Closes a replaced adapter once its calls in flight are done (after {@code grace}). */
    private void retire(ProviderAdapter old, Duration grace) {
        try {
            retirements.schedule(old::close, grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            old.close();
        }
    }

    @PreDestroy
    void close() {
        for (Runnable pending : retirements.shutdownNow()) {
            pending.run();
        }
        adapters.values().forEach(ProviderAdapter::close);
    }
}
