package io.aigateway.adapter.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.AdapterFactorySupport;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.http.HttpProviderAdapter;
import io.aigateway.adapter.provider.local.ServerModels;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Registers kind {@code ollama} (no key needed, zero cost): {@link OllamaWireFormat} over HTTP, models discovered
 * from {@code GET /api/tags} ({@code models[].name}).
 */
@Singleton
public class OllamaAdapterFactory extends AdapterFactorySupport {

    static final ServerModels.ListFormat TAGS = new ServerModels.ListFormat() {
        @Override
        public JsonNode entries(JsonNode root) {
            return root.path("models");
        }

        @Override
        public String idOf(JsonNode entry) {
            String name = entry.path("name").asText(null);
            return name != null ? name : entry.path("model").asText(null);
        }
    };

    public OllamaAdapterFactory(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
        super("ollama", false, OllamaAdapterFactory::adapter, vertx, mapper, tokens, config);
    }

    static ProviderAdapter adapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                                   Duration healthTimeout) {
        return HttpProviderAdapter.of(settings, new OllamaWireFormat(settings, mapper),
                new ServerModels(settings, mapper, settings.baseUrl() + "/api/tags", TAGS),
                vertx, mapper, tokens, healthTimeout);
    }
}
