package io.aigateway.adapter.provider.deepseek;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.openai.OpenAiCompatibleAdapter;
import io.aigateway.adapter.provider.openai.OpenAiErrorMapper;
import io.aigateway.adapter.tokens.TokenEstimator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;

/**
 * Kind {@code deepseek}: OpenAI's wire format (PROVIDERS.md "DeepSeek") with these differences:
 * <ul>
 *   <li>{@code reasoning_content} (message and delta) and the usage extras {@code prompt_cache_hit_tokens} /
 *   {@code prompt_cache_miss_tokens} survive: JSON bodies and chunks are relayed unchanged;</li>
 *   <li>under load DeepSeek pads a one-shot answer with blank lines before the JSON: stripped here (the
 *   whole call stays bounded by {@code timeouts.total}); in streams it sends {@code : keep-alive} comments,
 *   which never count as data, so they cannot stretch the first-token deadline;</li>
 *   <li>402 insufficient balance, 422 invalid parameters, 503 server overloaded (see {@link DeepSeekErrorMapper}).</li>
 * </ul>
 */
public class DeepSeekAdapter extends OpenAiCompatibleAdapter {

    public DeepSeekAdapter(ProviderSettings settings, Vertx vertx, ObjectMapper mapper, TokenEstimator tokens,
                           Duration healthTimeout) {
        super(settings, vertx, mapper, tokens, healthTimeout);
    }

    @Override
    protected OpenAiErrorMapper errorMapper(ObjectMapper mapper) {
        return new DeepSeekErrorMapper(mapper);
    }

    @Override
    protected Buffer normalizeJsonBody(Buffer body) {
        int n = body.length();
        int i = 0;
        while (i < n) {
            byte b = body.getByte(i);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break;
            }
            i++;
        }
        return i == 0 ? body : body.slice(i, n);
    }
}
