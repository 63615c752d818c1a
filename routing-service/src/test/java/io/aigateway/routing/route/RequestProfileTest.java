package io.aigateway.routing.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The context-window check must not overflow: prompt + budget near {@code Integer.MAX_VALUE}. */
class RequestProfileTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final ModelInfo.Capabilities ALL = new ModelInfo.Capabilities(true, true, true, true);
    static final Candidate WINDOW_128K = new Candidate("p", "m", 128_000, new ModelInfo("m", "m", 128_000,
            new BigDecimal("0.001"), new BigDecimal("0.002"), 0.5, ALL));

    static RequestProfile profile(String extra) throws Exception {
        return RequestProfile.of(new ChatCompletionRequest((ObjectNode) MAPPER.readTree(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"}]" + extra + "}")), 1024);
    }

    @Test
    void aBudgetNearIntMaxDoesNotWrapIntoAFit() throws Exception {
        RequestProfile p = profile(",\"max_tokens\":2147483647");
        assertEquals(Integer.MAX_VALUE, p.maxTokens());
        assertTrue(p.contextNeeded() > Integer.MAX_VALUE, "sum is exact: " + p.contextNeeded());
        assertEquals((long) p.promptTokens() + Integer.MAX_VALUE, p.contextNeeded());
        String why = ModelRouter.unfit(WINDOW_128K, p);
        assertNotNull(why, "a 2^31-1 budget does not fit a 128k window");
        assertTrue(why.startsWith("context window 128000 < ~"), why);
    }

    @Test
    void aBudgetBeyondIntIsSaturatedNotTruncated() throws Exception {
        // 4294967297 = 2^32 + 1: intValue() would make it 1 and let it through every window
        RequestProfile p = profile(",\"max_completion_tokens\":4294967297");
        assertEquals(Integer.MAX_VALUE, p.maxTokens());
        assertTrue(p.explicitMaxTokens());
        assertNotNull(ModelRouter.unfit(WINDOW_128K, p));
        assertEquals(Integer.MAX_VALUE, profile(",\"max_tokens\":123456789012345678901234567890").maxTokens());
    }

    @Test
    void nonPositiveOrNonIntegerBudgetsCountAsNotSet() throws Exception {
        for (String extra : new String[]{",\"max_tokens\":0", ",\"max_tokens\":-1", ",\"max_tokens\":-4294967297",
                ",\"max_tokens\":1.5", ",\"max_tokens\":\"12\""}) {
            RequestProfile p = profile(extra);
            assertFalse(p.explicitMaxTokens(), extra);
            assertEquals(1024, p.maxTokens(), extra);
            assertEquals(p.promptTokens(), p.contextNeeded(), extra);
        }
    }

    @Test
    void ordinaryBudgetsStillFitOrNot() throws Exception {
        assertNull(ModelRouter.unfit(WINDOW_128K, profile(",\"max_tokens\":4096")));
        RequestProfile big = profile(",\"max_tokens\":128000");
        assertEquals(big.promptTokens() + 128_000L, big.contextNeeded());
        assertNotNull(ModelRouter.unfit(WINDOW_128K, big));
        // max_completion_tokens wins over max_tokens
        assertEquals(10, profile(",\"max_tokens\":20,\"max_completion_tokens\":10").maxTokens());
    }

    @Test
    void aCandidateInALogLineIsEscaped() {
        // a pinned model id is the client's text
        Candidate pinned = new Candidate("p", "m\r\n12:00:00 INFO forged", 0);
        assertEquals("p/m\\u000D\\u000A12:00:00 INFO forged", pinned.toString());
        assertEquals("p/m\r\n12:00:00 INFO forged", pinned.key(), "statistics keys are unchanged");
    }
}
