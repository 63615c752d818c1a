package io.aigateway.adapter.provider.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;

import java.time.Duration;

/** Kind {@code openai}: OpenAI itself and any server speaking its wire format unchanged. */
public class OpenAiAdapter extends OpenAiCompatibleAdapter {

    public OpenAiAdapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                         Duration healthTimeout) {
        super(settings, vertx, mapper, tokens, healthTimeout);
    }
}
