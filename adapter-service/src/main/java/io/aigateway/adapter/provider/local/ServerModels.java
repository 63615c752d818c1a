package io.aigateway.adapter.provider.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.wire.ModelDirectory;
import io.aigateway.contracts.catalog.Cost;
import io.aigateway.contracts.catalog.ModelInfo;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models of a self-hosted server: zero cost; the configured ones keep their settings, and the ones the
 * server lists (read in the background with each healthy health check, never on the request path) are added
 * with defaults.
 */
public final class ServerModels implements ModelDirectory {

    private static final Logger LOG = Logger.getLogger(ServerModels.class);

    /** How a server's model list reads; default: OpenAI's {@code {"data":[{"id":…}]}}. */
    public interface ListFormat {
        default JsonNode entries(JsonNode root) {
            return root.path("data");
        }

        default String idOf(JsonNode entry) {
            return entry.path("id").asText(null);
        }

        /** Context window of a listed model; 0 when unknown. */
        default int contextWindowOf(JsonNode entry) {
            return 0;
        }
    }

    /** OpenAI's {@code GET /v1/models}. */
    public static final ListFormat OPENAI_LIST = new ListFormat() {
    };

    private final String providerId;
    private final ObjectMapper mapper;
    private final String discoveryUri;
    private final ListFormat listFormat;
    private final Map<String, ModelInfo> configured;
    private volatile Map<String, ModelInfo> discovered = Map.of();
    private volatile List<ModelInfo> all;

    public ServerModels(ProviderSettings settings, ObjectMapper mapper, String discoveryUri, ListFormat listFormat) {
        this.providerId = settings.id();
        this.mapper = mapper;
        this.discoveryUri = discoveryUri;
        this.listFormat = listFormat;
        Map<String, ModelInfo> byId = new LinkedHashMap<>();
        for (ModelInfo m : settings.models()) {
            byId.put(m.id(), free(m));
        }
        this.configured = Collections.unmodifiableMap(byId);
        this.all = List.copyOf(byId.values());
    }

    /** The server's root: the base URL without its {@code /v1}, where health endpoints live. */
    public static String serverRoot(ProviderSettings settings) {
        String base = settings.baseUrl();
        return base.endsWith("/v1") ? base.substring(0, base.length() - 3) : base;
    }

    private static ModelInfo free(ModelInfo m) {
        return new ModelInfo(m.id(), m.displayName(), m.contextWindow(), BigDecimal.ZERO, BigDecimal.ZERO,
                m.qualityScore(), m.capabilities());
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
    public BigDecimal cost(ModelInfo model, int promptTokens, int completionTokens) {
        return Cost.of(promptTokens, completionTokens, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    @Override
    public String discoveryUri() {
        return discoveryUri;
    }

    @Override
    public void discovered(Buffer body) {
        try {
            JsonNode data = listFormat.entries(mapper.readTree(body.getBytes()));
            if (!data.isArray()) {
                return;
            }
            Map<String, ModelInfo> found = new LinkedHashMap<>();
            for (JsonNode entry : data) {
                String id = listFormat.idOf(entry);
                if (id == null || id.isBlank() || configured.containsKey(id)) {
                    continue;
                }
                int ctx = listFormat.contextWindowOf(entry);
                found.put(id, new ModelInfo(id, id, ctx > 0 ? ctx : 8192, BigDecimal.ZERO, BigDecimal.ZERO, 0.5,
                        new ModelInfo.Capabilities(true, false, false, false)));
            }
            if (!found.keySet().equals(discovered.keySet())) {
                LOG.infof("provider %s serves models %s", providerId, found.keySet());
            }
            discovered = Map.copyOf(found);
            List<ModelInfo> list = new ArrayList<>(configured.values());
            list.addAll(found.values());
            all = List.copyOf(list);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("provider %s: model list not understood: %s", providerId, e.getMessage());
        }
    }
}
