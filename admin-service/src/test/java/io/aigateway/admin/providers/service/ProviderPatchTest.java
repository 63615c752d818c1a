package io.aigateway.admin.providers.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.error.ApiException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderPatchTest {

    private static final ObjectMapper M = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Set<String> MODELS = Set.of("chat", "mini");

    private static JsonNode j(String s) throws Exception {
        return M.readTree(s);
    }

    @Test
    void mergeFollowsRfc7396AndDropsEmptiedObjects() throws Exception {
        JsonNode current = j("{\"enabled\":false,\"priority\":2,\"models\":{\"chat\":{\"contextWindow\":10}},\"timeouts\":{\"totalMs\":5}}");
        JsonNode merged = ProviderPatch.merge(current, j("{\"priority\":null,\"models\":{\"chat\":{\"contextWindow\":null},"
                + "\"mini\":{\"promptPricePer1k\":\"0.0015\"}},\"timeouts\":{\"connectMs\":7}}"));
        assertEquals(j("{\"enabled\":false,\"models\":{\"mini\":{\"promptPricePer1k\":0.0015}},\"timeouts\":{\"totalMs\":5,\"connectMs\":7}}"),
                merged);
        assertEquals(0, new BigDecimal("0.0015").compareTo(merged.at("/models/mini/promptPricePer1k").decimalValue()));
        assertFalse(ProviderPatch.merge(merged, j("{\"timeouts\":{\"totalMs\":null,\"connectMs\":null}}")).has("timeouts"));
    }

    @Test
    void everyRefusalNamesItsField() throws Exception {
        String[][] cases = {
                {"{\"apiKey\":\"x\"}", "apiKey"}, {"{\"base_url\":\"x\"}", "base_url"}, {"{\"x\":1}", "x"},
                {"{\"models\":{\"nope\":null}}", "models.nope"}, {"{\"models\":[]}", "models"},
                {"{\"models\":{\"chat\":{\"promptPricePer1k\":-0.1}}}", "models.chat.promptPricePer1k"},
                {"{\"models\":{\"chat\":{\"qualityScore\":2}}}", "models.chat.qualityScore"},
                {"{\"timeouts\":{\"firstByteMs\":-5}}", "timeouts.firstByteMs"},
                {"{\"poolMaxConnections\":0}", "poolMaxConnections"}, {"{\"rateLimitPerMinute\":-1}", "rateLimitPerMinute"},
        };
        for (String[] c : cases) {
            ApiException e = assertThrows(ApiException.class, () -> ProviderPatch.validate(j(c[0]), MODELS), c[0]);
            assertEquals(400, e.error().status());
            assertEquals(c[1], e.error().param(), c[0]);
        }
        ApiException secret = assertThrows(ApiException.class, () -> ProviderPatch.validate(j("{\"apiKey\":\"sk-1\"}"), MODELS));
        assertTrue(secret.error().message().contains("environment"));
        assertFalse(secret.error().message().contains("sk-1"));
        ProviderPatch.validate(j("{\"enabled\":null,\"models\":{\"chat\":{\"promptPricePer1k\":\"0\",\"contextWindow\":1,"
                + "\"qualityScore\":1}},\"rateLimitPerMinute\":0,\"timeouts\":{\"totalMs\":1}}"), MODELS);
    }
}
