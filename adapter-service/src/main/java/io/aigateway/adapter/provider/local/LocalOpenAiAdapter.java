package io.aigateway.adapter.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.HealthResult;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.openai.OpenAiCompatibleAdapter;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.aigateway.contracts.catalog.ModelInfo;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A self-hosted server speaking OpenAI's format at a configured base URL ({@code http://host:port/v1}):
 * no key needed (one is sent when configured), zero cost, a server-specific health endpoint at the server
 * root, and models discovered from {@code GET {base}/models} in the background (with each health check,
 * never on the request path). Configured models keep their settings; discovered ones are added with
 * defaults.
 */
public abstract class LocalOpenAiAdapter extends OpenAiCompatibleAdapter {

    private static final Logger LOG = Logger.getLogger(LocalOpenAiAdapter.class);

    private final Map<String, ModelInfo> configured;
    private volatile Map<String, ModelInfo> discovered = Map.of();
    private volatile List<ModelInfo> all;
    private final String serverRoot;

    protected LocalOpenAiAdapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                                 Duration healthTimeout) {
        super(settings, vertx, mapper, tokens, healthTimeout);
        Map<String, ModelInfo> byId = new LinkedHashMap<>();
        for (ModelInfo m : settings.models()) {
            byId.put(m.id(), free(m));
        }
        this.configured = Collections.unmodifiableMap(byId);
        this.all = List.copyOf(byId.values());
        String base = settings.baseUrl();
        this.serverRoot = base.endsWith("/v1") ? base.substring(0, base.length() - 3) : base;
    }

    private static ModelInfo free(ModelInfo m) {
        return new ModelInfo(m.id(), m.displayName(), m.contextWindow(), BigDecimal.ZERO, BigDecimal.ZERO,
                m.qualityScore(), m.capabilities());
    }

    /** The server's root (the base URL without its {@code /v1}), where health endpoints live. */
    protected String serverRoot() {
        return serverRoot;
    }

    @Override
    public List<ModelInfo> models() {
        return all;
    }

    @Override
    public ModelInfo model(String modelId) {
        if (modelId == null) {
            return null;
        }
        ModelInfo m = configured.get(modelId);
        return m != null ? m : discovered.get(modelId);
    }

    @Override
    public BigDecimal estimateCost(ModelInfo model, int promptTokens, int completionTokens) {
        return io.aigateway.contracts.catalog.Cost.of(promptTokens, completionTokens, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    /** The health probe, then (when healthy) model discovery; both in the background. */
    @Override
    public Uni<HealthResult> healthCheck() {
        return probe(healthUri()).map(this::healthOf).flatMap(health -> {
            if (!health.healthy()) {
                return Uni.createFrom().item(health);
            }
            return probe(modelsUri()).map(models -> {
                if (models.ok()) {
                    discover(models.body());
                }
                return health;
            });
        });
    }

    /** The entries of the server's model list; OpenAI style: {@code data[]}. */
    protected JsonNode modelEntries(JsonNode root) {
        return root.path("data");
    }

    /** The model id of one entry; OpenAI style: {@code id}. */
    protected String modelIdOf(JsonNode entry) {
        return entry.path("id").asText(null);
    }

    /** Context window of a discovered model from its {@code /v1/models} entry; 0 when unknown. */
    protected int contextWindowOf(JsonNode entry) {
        return 0;
    }

    private void discover(Buffer body) {
        try {
            JsonNode data = modelEntries(mapper.readTree(body.getBytes()));
            if (!data.isArray()) {
                return;
            }
            Map<String, ModelInfo> found = new LinkedHashMap<>();
            for (JsonNode entry : data) {
                String id = modelIdOf(entry);
                if (id == null || id.isBlank() || configured.containsKey(id)) {
                    continue;
                }
                int ctx = contextWindowOf(entry);
                found.put(id, new ModelInfo(id, id, ctx > 0 ? ctx : 8192, BigDecimal.ZERO, BigDecimal.ZERO, 0.5,
                        new ModelInfo.Capabilities(true, false, false, false)));
            }
            if (!found.keySet().equals(discovered.keySet())) {
                LOG.infof("provider %s serves models %s", settings.id(), found.keySet());
            }
            discovered = Map.copyOf(found);
            List<ModelInfo> list = new ArrayList<>(configured.values());
            list.addAll(found.values());
            all = List.copyOf(list);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.debugf("provider %s: model list not understood: %s", settings.id(), e.getMessage());
        }
    }
}
