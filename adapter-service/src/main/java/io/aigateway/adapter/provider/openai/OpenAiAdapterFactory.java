package io.aigateway.adapter.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.AdapterFactorySupport;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

/** Registers kind {@code openai}. */
@Singleton
public class OpenAiAdapterFactory extends AdapterFactorySupport {
    public static final String KIND = "openai";

    public OpenAiAdapterFactory(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
        super(KIND, true, OpenAiAdapter::new, vertx, mapper, tokens, config);
    }
}
