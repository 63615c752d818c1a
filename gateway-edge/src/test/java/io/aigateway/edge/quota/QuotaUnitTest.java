package io.aigateway.edge.quota;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuotaUnitTest {

    private static ChatCompletionRequest chat(String json) throws Exception {
        return new ChatCompletionRequest((ObjectNode) new ObjectMapper().readTree(json));
    }

    @Test
    void resetDurationsAreWrittenTheWayOpenAiWritesThem() {
        assertEquals("0ms", QuotaDecision.duration(-5));
        assertEquals("250ms", QuotaDecision.duration(250));
        assertEquals("1s", QuotaDecision.duration(1000));
        assertEquals("2s", QuotaDecision.duration(1001));
        assertEquals("6m0s", QuotaDecision.duration(360_000));
        assertEquals("1h2m3s", QuotaDecision.duration(3_723_000));
        assertEquals("24h0m0s", QuotaDecision.duration(86_400_000));
    }

    @Test
    void estimateCountsMessageTextMaxTokensAndTheHighestPrice() throws Exception {
        QuotaEstimator e = new QuotaEstimator(3, 256);
        var price = new ModelPrices.Price(new BigDecimal("0.01"), new BigDecimal("0.03"));
        // 9 + 6 characters → 5 tokens, + 4 per message
        QuotaEstimator.Estimate a = e.estimate(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"123456789\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"abcdef\"}]}],\"max_tokens\":100}"), price);
        assertEquals(5 + 8, a.promptTokens());
        assertEquals(100, a.completionTokens());
        // (13 × 0.01 + 100 × 0.03) / 1000 = 0.00313 USD
        assertEquals(3_130_000, a.nanoUsd());
        QuotaEstimator.Estimate b = e.estimate(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"max_completion_tokens\":7,\"max_tokens\":100}"), price);
        assertEquals(7, b.completionTokens(), "max_completion_tokens wins");
        QuotaEstimator.Estimate c = e.estimate(chat("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), price);
        assertEquals(256, c.completionTokens(), "the configured default");
        QuotaEstimator.Estimate free = e.estimate(chat("{\"model\":\"m\",\"messages\":[]}"),
                new ModelPrices.Price(BigDecimal.ZERO, BigDecimal.ZERO));
        assertEquals(0, free.nanoUsd());
    }

    @Test
    void localLimitCountsPerUserAndMinute() {
        AtomicLong now = new AtomicLong(60_000 * 1000 + 59_500);
        LocalLimiter l = new LocalLimiter(2, now::get);
        assertEquals(QuotaDecision.Kind.LOCAL, l.decide("a").kind());
        assertEquals(QuotaDecision.Kind.LOCAL, l.decide("a").kind());
        QuotaDecision refused = l.decide("a");
        assertTrue(refused.refused());
        assertEquals(500, refused.refusal().retryAfterMs());
        assertEquals("rate_limit_exceeded", refused.error().code());
        assertEquals("1", refused.error().headers().get("retry-after"));
        assertEquals(QuotaDecision.Kind.LOCAL, l.decide("b").kind(), "per user");
        now.addAndGet(1000);
        assertEquals(1, l.decide("a").requestsRemaining(), "a new minute");
    }

    @Test
    void refusalsAreDescribedInWords() {
        assertEquals("requests per day of the user", QuotaGate.describe("user d:req"));
        assertEquals("spend per month of the API key", QuotaGate.describe("key M:usd"));
        assertEquals("tokens per minute of the user", QuotaGate.describe("user m:tok"));
        assertEquals("a limit", QuotaGate.describe("??"));
        assertEquals("day", QuotaGate.window("user d:req"));
        assertEquals("requests", QuotaGate.metric("user d:req"));
        assertEquals("month", QuotaGate.window("key M:usd"));
        assertEquals("spendUsd", QuotaGate.metric("key M:usd"));
        assertEquals("minute", QuotaGate.window("user m:tok"));
        assertEquals("tokens", QuotaGate.metric("user m:tok"));
        assertEquals("other", QuotaGate.window("??"));
        assertEquals("other", QuotaGate.metric(null));
    }
}
