package io.aigateway.adapter.provider.deepseek;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.AdapterFactorySupport;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.http.HttpProviderAdapter;
import io.aigateway.adapter.provider.openai.OpenAiWireFormat;
import io.aigateway.adapter.provider.wire.ConfiguredModels;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Registers kind {@code deepseek}: OpenAI's wire format (PROVIDERS.md "DeepSeek") with these differences:
 * <ul>
 *   <li>{@code reasoning_content} (message and delta) and the usage extras {@code prompt_cache_hit_tokens} /
 *   {@code prompt_cache_miss_tokens} survive: JSON bodies and chunks are relayed unchanged;</li>
 *   <li>under load DeepSeek pads a one-shot answer with blank lines before the JSON: stripped (the
 *   whole call stays bounded by {@code timeouts.total}); in streams it sends {@code : keep-alive} comments,
 *   which never count as data, so they cannot stretch the first-token deadline;</li>
 *   <li>402 insufficient balance, 422 invalid parameters, 503 server overloaded (see {@link DeepSeekErrorMapper}).</li>
 * </ul>
 */
@Singleton
public class DeepSeekAdapterFactory extends AdapterFactorySupport {
    public static final String KIND = "deepseek";

    public DeepSeekAdapterFactory(Vertx vertx, ObjectMapper mapper, TokenEstimator tokens, AigwConfig config) {
        super(KIND, true, DeepSeekAdapterFactory::adapter, vertx, mapper, tokens, config);
    }

    static ProviderAdapter adapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                                   Duration healthTimeout) {
        return HttpProviderAdapter.of(settings, OpenAiWireFormat.of(settings, mapper, new DeepSeekErrorMapper(mapper)),
                new ConfiguredModels(settings), vertx, mapper, tokens, healthTimeout);
    }
}
