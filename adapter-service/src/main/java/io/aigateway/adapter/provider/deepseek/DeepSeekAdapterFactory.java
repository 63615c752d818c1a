package io.aigateway.adapter.provider.deepseek;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.AdapterFactorySupport;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

/** Registers kind {@code deepseek}. */
@Singleton
public class DeepSeekAdapterFactory extends AdapterFactorySupport {
    public static final String KIND = "deepseek";

    public DeepSeekAdapterFactory(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
        super(KIND, true, DeepSeekAdapter::new, vertx, mapper, tokens, config);
    }
}
