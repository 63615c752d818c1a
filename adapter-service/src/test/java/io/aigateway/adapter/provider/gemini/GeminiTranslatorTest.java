package io.aigateway.adapter.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.adapter.provider.UnsupportedRequestException;
import io.aigateway.adapter.provider.transport.StreamFrame;
import io.aigateway.adapter.provider.wire.ChunkOutput;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.internal.Json;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Gemini mapping without a server: request, answers, stream frames, finish reasons, usage and errors. */
class GeminiTranslatorTest {

    private static final String KEY = "AIzaSyD-secret-key-1234567890abcdef";
    private final ObjectMapper mapper = Json.newMapper();
    private final GeminiTranslator translator = new GeminiTranslator(mapper);
    private final GeminiWireFormat.GeminiErrorMapper errors = new GeminiWireFormat.GeminiErrorMapper(mapper);

    private JsonNode request(String json) throws Exception {
        return translator.requestTree(mapper.readTree(json));
    }

    private JsonNode response(String json) throws Exception {
        return mapper.readTree(translator.response(json.getBytes(StandardCharsets.UTF_8), "chatcmpl-1", "gemini-2.0-flash"));
    }

    private static List<String> roles(JsonNode request) {
        List<String> roles = new ArrayList<>();
        request.get("contents").forEach(c -> roles.add(c.get("role").asText()));
        return roles;
    }

    // ---- request -------------------------------------------------------------------------------

    @Test
    void rolesAndSystemInstruction() throws Exception {
        JsonNode out = request("{\"model\":\"gemini-2.0-flash\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"},"
                + "{\"role\":\"system\",\"content\":\"Use French.\"},{\"role\":\"user\",\"content\":\"Again\"}],"
                + "\"temperature\":0.5,\"top_p\":0.8,\"max_completion_tokens\":100,\"max_tokens\":5,\"stop\":[\"a\",\"b\"],"
                + "\"seed\":7,\"user\":\"u1\",\"x_extra\":1}");
        assertEquals("Be brief.\n\nUse French.", out.at("/systemInstruction/parts/0/text").asText());
        assertEquals(List.of("user", "model", "user"), roles(out));
        assertEquals("Again", out.at("/contents/2/parts/0/text").asText());
        JsonNode config = out.get("generationConfig");
        assertEquals(0.5, config.get("temperature").asDouble());
        assertEquals(0.8, config.get("topP").asDouble());
        assertEquals(100, config.get("maxOutputTokens").asInt(), "max_completion_tokens wins over max_tokens");
        assertEquals("[\"a\",\"b\"]", config.get("stopSequences").toString());
        assertEquals(7, config.get("seed").asInt());
        assertFalse(out.has("x_extra"));
        assertFalse(out.has("model"));
        assertFalse(out.has("user"));
    }

    @Test
    void noSystemNoConfig() throws Exception {
        JsonNode out = request("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
        assertFalse(out.has("systemInstruction"));
        assertFalse(out.has("generationConfig"));
    }

    @Test
    void responseFormatJson() throws Exception {
        JsonNode out = request("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"response_format\":{\"type\":\"json_schema\","
                + "\"json_schema\":{\"name\":\"x\",\"schema\":{\"type\":\"object\"}}}}");
        assertEquals("application/json", out.at("/generationConfig/responseMimeType").asText());
        assertEquals("object", out.at("/generationConfig/responseJsonSchema/type").asText());
    }

    @Test
    void unsupportedRequestsAre400() {
        assertThrows(UnsupportedRequestException.class, () -> request("{\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}]}"));
        assertThrows(UnsupportedRequestException.class, () -> request("{\"n\":3,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
        assertThrows(UnsupportedRequestException.class, () -> request("{\"messages\":[{\"role\":\"function\",\"content\":\"x\"}]}"));
    }

    @Test
    void toolChoiceModes() throws Exception {
        String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":\"d\"}}]";
        String msgs = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
        assertEquals("NONE", request("{" + msgs + "," + tools + ",\"tool_choice\":\"none\"}").at("/toolConfig/functionCallingConfig/mode").asText());
        assertEquals("AUTO", request("{" + msgs + "," + tools + ",\"tool_choice\":\"auto\"}").at("/toolConfig/functionCallingConfig/mode").asText());
        JsonNode named = request("{" + msgs + "," + tools + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}}");
        assertEquals("ANY", named.at("/toolConfig/functionCallingConfig/mode").asText());
        assertEquals("f", named.at("/toolConfig/functionCallingConfig/allowedFunctionNames/0").asText());
        assertFalse(request("{" + msgs + "," + tools + "}").has("toolConfig"));
        assertEquals("d", request("{" + msgs + "," + tools + "}").at("/tools/0/functionDeclarations/0/description").asText());
    }

    @Test
    void jsonToolResultIsTheResponseObject() throws Exception {
        JsonNode out = request("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"Let me look.\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"a\",\"arguments\":\"{}\"}},"
                + "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"b\",\"arguments\":\"\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"{\\\"t\\\":21}\"},{\"role\":\"tool\",\"tool_call_id\":\"c2\",\"content\":\"ok\"}]}");
        assertEquals("Let me look.", out.at("/contents/1/parts/0/text").asText());
        assertEquals("a", out.at("/contents/1/parts/1/functionCall/name").asText());
        assertEquals(3, out.get("contents").size(), "consecutive tool results share one user turn");
        assertEquals(21, out.at("/contents/2/parts/0/functionResponse/response/t").asInt());
        assertEquals("b", out.at("/contents/2/parts/1/functionResponse/name").asText());
        assertEquals("ok", out.at("/contents/2/parts/1/functionResponse/response/content").asText());
    }

    @Test
    void emptyTurnsAreLeftOut() throws Exception {
        JsonNode out = request("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"\"},"
                + "{\"role\":\"user\",\"content\":\"Again\"}]}");
        assertEquals(List.of("user", "user"), roles(out));
    }

    @Test
    void modelPathDropsPrefix() {
        assertEquals("gemini-2.0-flash", GeminiTranslator.modelPath("models/gemini-2.0-flash"));
        assertEquals("gemini-2.0-flash", GeminiTranslator.modelPath("gemini-2.0-flash"));
    }

    // ---- answers -------------------------------------------------------------------------------

    @Test
    void finishReasons() {
        assertEquals("stop", GeminiTranslator.finishReason("STOP", false));
        assertEquals("tool_calls", GeminiTranslator.finishReason("STOP", true));
        assertEquals("length", GeminiTranslator.finishReason("MAX_TOKENS", false));
        for (String r : List.of("SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY")) {
            assertEquals("content_filter", GeminiTranslator.finishReason(r, false), r);
        }
        assertEquals("stop", GeminiTranslator.finishReason("OTHER", false));
        assertEquals("stop", GeminiTranslator.finishReason("MALFORMED_FUNCTION_CALL", false));
        assertNull(GeminiTranslator.finishReason(null, false));
    }

    @Test
    void answerWithUsage() throws Exception {
        JsonNode a = response("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello \"},{\"text\":\"there\"}],\"role\":\"model\"},"
                + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":4,\"candidatesTokenCount\":2,"
                + "\"totalTokenCount\":6,\"cachedContentTokenCount\":1},\"modelVersion\":\"gemini-2.0-flash-001\",\"responseId\":\"r1\"}");
        assertEquals("r1", a.get("id").asText());
        assertEquals("chat.completion", a.get("object").asText());
        assertEquals("gemini-2.0-flash-001", a.get("model").asText());
        assertEquals("Hello there", a.at("/choices/0/message/content").asText());
        assertEquals("stop", a.at("/choices/0/finish_reason").asText());
        assertEquals(4, a.at("/usage/prompt_tokens").asInt());
        assertEquals(2, a.at("/usage/completion_tokens").asInt());
        assertEquals(6, a.at("/usage/total_tokens").asInt());
        assertEquals(1, a.at("/usage/prompt_tokens_details/cached_tokens").asInt());
    }

    @Test
    void answerWithoutUsageOrIdUsesOurs() throws Exception {
        JsonNode a = response("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]}}]}");
        assertEquals("chatcmpl-1", a.get("id").asText());
        assertEquals("gemini-2.0-flash", a.get("model").asText());
        assertEquals("stop", a.at("/choices/0/finish_reason").asText());
        assertFalse(a.has("usage"));
    }

    @Test
    void blockedAnswers() {
        assertThrows(GeminiTranslator.Blocked.class, () -> response("{\"promptFeedback\":{\"blockReason\":\"OTHER\"}}"));
        assertThrows(GeminiTranslator.Blocked.class, () -> response("{\"candidates\":[{\"finishReason\":\"RECITATION\"}]}"));
        assertThrows(GeminiTranslator.Blocked.class, () -> response(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}]},\"finishReason\":\"SAFETY\"}]}"));
        var notBlocked = assertThrows(java.io.IOException.class, () -> response("{\"candidates\":[]}"));
        assertFalse(notBlocked instanceof GeminiTranslator.Blocked, "no candidates and no block reason: malformed");
    }

    // ---- stream --------------------------------------------------------------------------------

    private static final class Collected implements ChunkOutput {
        final List<JsonNode> chunks = new ArrayList<>();
        final List<JsonNode> errors = new ArrayList<>();

        @Override
        public void chunk(String json, JsonNode chunk) {
            chunks.add(chunk);
        }

        @Override
        public void error(JsonNode error) {
            errors.add(error);
        }
    }

    private Collected stream(String... frames) throws Exception {
        GeminiTranslator.Stream s = translator.new Stream("chatcmpl-9", "gemini-2.0-flash");
        Collected out = new Collected();
        for (String f : frames) {
            s.translate(new StreamFrame(null, f), (ObjectNode) mapper.readTree(f), out);
        }
        return out;
    }

    @Test
    void streamChunksFinishAndUsage() throws Exception {
        Collected out = stream(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":5,\"totalTokenCount\":5},\"modelVersion\":\"gemini-2.0-flash-001\"}",
                "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo\"}],\"role\":\"model\"},\"finishReason\":\"MAX_TOKENS\",\"index\":0}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":2,\"totalTokenCount\":7}}");
        assertTrue(out.errors.isEmpty());
        assertEquals(5, out.chunks.size(), out.chunks.toString());
        assertEquals("assistant", out.chunks.get(0).at("/choices/0/delta/role").asText());
        assertEquals("gemini-2.0-flash-001", out.chunks.get(0).get("model").asText());
        assertEquals("chatcmpl-9", out.chunks.get(0).get("id").asText());
        assertEquals("Hel", out.chunks.get(1).at("/choices/0/delta/content").asText());
        assertEquals("lo", out.chunks.get(2).at("/choices/0/delta/content").asText());
        assertEquals("length", out.chunks.get(3).at("/choices/0/finish_reason").asText());
        assertEquals(0, out.chunks.get(4).get("choices").size());
        assertEquals(7, out.chunks.get(4).at("/usage/total_tokens").asInt());
    }

    @Test
    void streamUsageAfterTheFinishFrame() throws Exception {
        Collected out = stream("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\",\"index\":0}]}",
                "{\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1,\"totalTokenCount\":4}}",
                "{\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1,\"totalTokenCount\":4}}");
        assertEquals(4, out.chunks.size(), out.chunks.toString());
        assertEquals("stop", out.chunks.get(2).at("/choices/0/finish_reason").asText());
        assertEquals(4, out.chunks.get(3).at("/usage/total_tokens").asInt());
    }

    @Test
    void streamSafety() throws Exception {
        Collected blocked = stream("{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}");
        assertEquals(1, blocked.errors.size());
        assertEquals(ErrorClass.CONTENT_FILTERED,
                errors.fromStreamErrorChunk("g", "m", KEY, blocked.errors.get(0)).errorClass());

        Collected stopped = stream("{\"candidates\":[{\"finishReason\":\"SAFETY\",\"index\":0}]}");
        assertEquals(ErrorClass.CONTENT_FILTERED,
                errors.fromStreamErrorChunk("g", "m", KEY, stopped.errors.get(0)).errorClass());

        Collected late = stream("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Some\"}]},\"index\":0}]}",
                "{\"candidates\":[{\"content\":{\"parts\":[]},\"finishReason\":\"SAFETY\",\"index\":0}]}");
        assertTrue(late.errors.isEmpty());
        assertEquals("content_filter", late.chunks.get(late.chunks.size() - 1).at("/choices/0/finish_reason").asText());
    }

    // ---- errors --------------------------------------------------------------------------------

    private ProviderError error(int status, String grpc, String message, String details, MultiMap headers) {
        String body = "{\"error\":{\"code\":" + status + ",\"message\":\"" + message + "\",\"status\":\"" + grpc + "\""
                + (details == null ? "" : ",\"details\":" + details) + "}}";
        return errors.fromHttp("gem", "gemini-2.0-flash", KEY, status, headers, Buffer.buffer(body));
    }

    private ProviderError error(int status, String grpc, String message) {
        return error(status, grpc, message, null, MultiMap.caseInsensitiveMultiMap());
    }

    @Test
    void errorClasses() {
        assertEquals(ErrorClass.BAD_REQUEST, error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.").errorClass());
        assertEquals(ErrorClass.AUTH, error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                "[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\"}]",
                MultiMap.caseInsensitiveMultiMap()).errorClass());
        assertEquals(ErrorClass.CONTEXT_TOO_LONG, error(400, "INVALID_ARGUMENT",
                "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).").errorClass());
        assertEquals(ErrorClass.INSUFFICIENT_CREDIT, error(400, "FAILED_PRECONDITION", "enable billing").errorClass());
        assertEquals(ErrorClass.AUTH, error(403, "PERMISSION_DENIED", "denied").errorClass());
        assertEquals(ErrorClass.MODEL_NOT_FOUND, error(404, "NOT_FOUND",
                "models/gemini-9 is not found for API version v1beta").errorClass());
        assertEquals(ErrorClass.RATE_LIMITED, error(429, "RESOURCE_EXHAUSTED", "quota").errorClass());
        assertEquals(ErrorClass.UPSTREAM_5XX, error(500, "INTERNAL", "An internal error has occurred.").errorClass());
        assertEquals(ErrorClass.OVERLOADED, error(503, "UNAVAILABLE", "The model is overloaded.").errorClass());
        assertEquals(ErrorClass.TIMEOUT, error(504, "DEADLINE_EXCEEDED", "Deadline expired").errorClass());
        assertEquals(ErrorClass.UPSTREAM_5XX, errors.fromHttp("gem", "m", KEY, 502, null, Buffer.buffer("<html>")).errorClass());
    }

    @Test
    void retryHints() {
        String retryInfo = "[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"1.5s\"}]";
        assertEquals(1500L, error(429, "RESOURCE_EXHAUSTED", "quota", retryInfo, MultiMap.caseInsensitiveMultiMap()).retryAfterMs());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("retry-after", "7");
        assertEquals(7000L, error(429, "RESOURCE_EXHAUSTED", "quota", retryInfo, headers).retryAfterMs(), "the header wins");
        assertNull(error(429, "RESOURCE_EXHAUSTED", "quota").retryAfterMs());
        assertNull(error(429, "RESOURCE_EXHAUSTED", "quota",
                "[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"soon\"}]",
                MultiMap.caseInsensitiveMultiMap()).retryAfterMs());
    }

    @Test
    void keysNeverLeak() {
        ProviderError e = error(400, "INVALID_ARGUMENT", "API key " + KEY + " not valid; also AIzaSyOTHERkey000");
        assertFalse(e.message().contains(KEY));
        assertFalse(e.message().contains("AIzaSyOTHER"));
        assertTrue(e.message().contains("[redacted]"));
    }

    @Test
    void streamErrorFrame() {
        ObjectNode err = (ObjectNode) mapper.createObjectNode().put("code", 503).put("status", "UNAVAILABLE").put("message", "busy");
        assertEquals(ErrorClass.OVERLOADED, errors.fromStreamErrorChunk("gem", "m", KEY, err).errorClass());
    }
}
