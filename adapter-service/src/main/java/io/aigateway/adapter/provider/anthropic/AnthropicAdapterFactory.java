package io.aigateway.adapter.provider.anthropic;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderAdapterFactory;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/** Registers kind {@code anthropic}. */
@ApplicationScoped
public class AnthropicAdapterFactory implements ProviderAdapterFactory {

    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final TokenEstimator tokens;
    private final AigwConfig config;

    public AnthropicAdapterFactory(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
        this.vertx = vertx;
        this.mapper = mapper;
        this.tokens = tokens;
        this.config = config;
    }

    @Override
    public String kind() {
        return "anthropic";
    }

    @Override
    public boolean requiresApiKeyByDefault() {
        return true;
    }

    @Override
    public ProviderAdapter create(ProviderSettings settings) {
        return new AnthropicAdapter(settings, vertx, mapper, tokens, config.health().timeout());
    }
}
