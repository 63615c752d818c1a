package io.aigateway.adapter.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;

import java.time.Duration;

/**
 * The shared part of every kind's factory: the services an adapter is built from, its kind string and
 * whether it needs a key. A kind's factory is a CDI bean ({@code @Singleton}: no client proxy, so no no-args constructor needed) that only names these and its adapter's constructor.
 */
public abstract class AdapterFactorySupport implements ProviderAdapterFactory {

    /** An adapter constructor: every kind's adapter is built from the same inputs. */
    @FunctionalInterface
    public interface AdapterConstructor {
        ProviderAdapter create(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                               Duration healthTimeout);
    }

    private final String kind;
    private final boolean requiresApiKey;
    private final AdapterConstructor constructor;
    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final TokenEstimator tokens;
    private final AigwConfig config;

    protected AdapterFactorySupport(String kind, boolean requiresApiKey, AdapterConstructor constructor,
                                    Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
        this.kind = kind;
        this.requiresApiKey = requiresApiKey;
        this.constructor = constructor;
        this.vertx = vertx;
        this.mapper = mapper;
        this.tokens = tokens;
        this.config = config;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public boolean requiresApiKeyByDefault() {
        return requiresApiKey;
    }

    @Override
    public ProviderAdapter create(ProviderSettings settings) {
        return constructor.create(settings, vertx, mapper, tokens, config.health().timeout());
    }
}
