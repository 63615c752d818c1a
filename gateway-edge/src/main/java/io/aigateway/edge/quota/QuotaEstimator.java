package io.aigateway.edge.quota;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import io.aigateway.contracts.quota.QuotaLimits;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What a request may cost, before it runs: prompt tokens estimated from the message text (characters / chars-per-token,
 * plus a few tokens a message), completion tokens from {@code max_completion_tokens} / {@code max_tokens} or the
 * configured default, cost at the highest price among the candidates the model name can resolve to. Deliberately
 * high: the estimate is only reserved, the request is charged what its usage event says.
 */
public final class QuotaEstimator {

    /** Tokens a message costs beyond its text (role, separators), as OpenAI's own counting guide does. */
    static final int PER_MESSAGE_TOKENS = 4;
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    public record Estimate(long promptTokens, long completionTokens, long nanoUsd) {
        public long tokens() {
            return promptTokens + completionTokens;
        }
    }

    private final int charsPerToken;
    private final int defaultCompletionTokens;

    public QuotaEstimator(int charsPerToken, int defaultCompletionTokens) {
        this.charsPerToken = Math.max(1, charsPerToken);
        this.defaultCompletionTokens = Math.max(0, defaultCompletionTokens);
    }

    public Estimate estimate(ChatCompletionRequest chat, ModelPrices.Price price) {
        long prompt = promptTokens(chat.messages());
        long completion = completionTokens(chat.body());
        BigDecimal usd = price.promptPer1k().multiply(BigDecimal.valueOf(prompt))
                .add(price.completionPer1k().multiply(BigDecimal.valueOf(completion)))
                .divide(THOUSAND, 10, RoundingMode.UP);
        return new Estimate(prompt, completion, usd.signum() > 0 ? QuotaLimits.nanoUsd(usd) : 0);
    }

    long promptTokens(JsonNode messages) {
        if (messages == null || !messages.isArray()) {
            return 0;
        }
        long chars = 0;
        for (JsonNode m : messages) {
            chars += textLength(m.get("content"));
            JsonNode calls = m.get("tool_calls");
            if (calls != null) {
                chars += calls.toString().length();
            }
        }
        return (chars + charsPerToken - 1) / charsPerToken + (long) PER_MESSAGE_TOKENS * messages.size();
    }

    private static long textLength(JsonNode content) {
        if (content == null || content.isNull()) {
            return 0;
        }
        if (content.isTextual()) {
            return content.textValue().length();
        }
        if (content.isArray()) {
            long n = 0;
            for (JsonNode part : content) {
                JsonNode text = part.get("text");
                n += text != null && text.isTextual() ? text.textValue().length() : part.toString().length();
            }
            return n;
        }
        return content.toString().length();
    }

    long completionTokens(JsonNode body) {
        for (String field : new String[]{"max_completion_tokens", "max_tokens"}) {
            JsonNode v = body.get(field);
            if (v != null && v.canConvertToLong() && v.longValue() > 0) {
                return v.longValue();
            }
        }
        return defaultCompletionTokens;
    }
}
