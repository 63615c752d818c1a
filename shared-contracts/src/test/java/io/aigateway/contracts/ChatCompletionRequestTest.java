package io.aigateway.contracts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.openai.ChatCompletionRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.*;

class ChatCompletionRequestTest {

    private final ObjectMapper mapper = Json.newMapper();

    private ChatCompletionRequest parse(String json) throws Exception {
        return mapper.readValue(json, ChatCompletionRequest.class);
    }

    @Test
    void unknownFieldsSurviveARoundTripAndModelIsReplaced() throws Exception {
        ChatCompletionRequest r = parse("""
                {"model":"chat-default","messages":[{"role":"user","content":"hi","x_extra":1}],
                 "stream":true,"vendor_knob":{"a":[1,2]},"stream_options":{"other":true}}""");
        assertNull(r.validate());
        r.withModel("gpt-4o-mini").withUsageRequested();
        ObjectNode back = (ObjectNode) mapper.readTree(mapper.writeValueAsString(r));
        assertEquals("gpt-4o-mini", back.get("model").asText());
        assertEquals(2, back.get("vendor_knob").get("a").size());
        assertEquals(1, back.get("messages").get(0).get("x_extra").asInt());
        assertTrue(back.get("stream_options").get("include_usage").asBoolean());
        assertTrue(back.get("stream_options").get("other").asBoolean());
    }

    @Test
    void usageIsNotRequestedOnNonStreams() throws Exception {
        ChatCompletionRequest r = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        r.withUsageRequested();
        assertFalse(r.body().has("stream_options"));
        assertFalse(r.includeUsage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}|model",
            "{\"model\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}|model",
            "{\"model\":\"m\"}|messages",
            "{\"model\":\"m\",\"messages\":[]}|messages",
            "{\"model\":\"m\",\"messages\":\"hi\"}|messages",
            "{\"model\":\"m\",\"messages\":[{\"content\":\"x\"}]}|messages[0].role",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}|messages[0].content",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}|stream",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":\"hot\"}|temperature",
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":1.5}|max_tokens",
    })
    void invalidRequestsNameTheParameter(String json, String param) throws Exception {
        ApiError e = parse(json).validate();
        assertNotNull(e);
        assertEquals(400, e.status());
        assertEquals(param, e.param());
        assertEquals("invalid_request_error", e.type());
    }

    private static final String MSG = "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";

    private ApiError validate(String extra) throws Exception {
        return parse("{\"model\":\"m\"," + MSG + extra + "}").validate(LIMITS);
    }

    private static final ChatCompletionRequest.Limits LIMITS = new ChatCompletionRequest.Limits(256, 256, 128, 1_000_000);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            ",\"max_tokens\":0|max_tokens|integer_below_min_value",
            ",\"max_tokens\":-1|max_tokens|integer_below_min_value",
            ",\"max_tokens\":1000001|max_tokens|integer_above_max_value",
            ",\"max_tokens\":2147483647|max_tokens|integer_above_max_value",
            ",\"max_tokens\":4294967297|max_tokens|integer_above_max_value",
            ",\"max_tokens\":123456789012345678901234567890|max_tokens|integer_above_max_value",
            ",\"max_tokens\":1e3|max_tokens|invalid_type",
            ",\"max_tokens\":100.0|max_tokens|invalid_type",
            ",\"max_tokens\":\"12\"|max_tokens|invalid_type",
            ",\"max_completion_tokens\":0|max_completion_tokens|integer_below_min_value",
            ",\"max_completion_tokens\":4294967297|max_completion_tokens|integer_above_max_value",
            ",\"n\":0|n|integer_below_min_value",
            ",\"n\":129|n|integer_above_max_value",
            ",\"temperature\":-0.1|temperature|decimal_below_min_value",
            ",\"temperature\":2.0000001|temperature|decimal_above_max_value",
            ",\"temperature\":1e400|temperature|decimal_above_max_value",
            ",\"top_p\":1.5|top_p|decimal_above_max_value",
            ",\"presence_penalty\":-2.5|presence_penalty|decimal_below_min_value",
            ",\"frequency_penalty\":3|frequency_penalty|decimal_above_max_value",
            ",\"frequency_penalty\":\"1\"|frequency_penalty|invalid_type",
            ",\"user\":5|user|invalid_type",
            ",\"user\":\"a\\nb\"|user|invalid_value",
            ",\"user\":\"a\\u2028\"|user|invalid_value",
            ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"ok\"}},{\"type\":\"function\",\"function\":{\"name\":\"f\\r\"}}]|tools[1].function.name|invalid_value",
            ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\\u0000\"}}|tool_choice.function.name|invalid_value",
            ",\"functions\":[{\"name\":\"f\\u007f\"}]|functions[0].name|invalid_value",
            ",\"function_call\":{\"name\":\"f\\t\"}|function_call.name|invalid_value",
    })
    void boundsAndIdentifiersNameTheParameterWithOpenAiCodes(String extra, String param, String code) throws Exception {
        ApiError e = validate(extra);
        assertNotNull(e, extra);
        assertEquals(400, e.status());
        assertEquals(param, e.param());
        assertEquals(code, e.code());
        assertTrue(e.message().length() < 300, e.message());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            ",\"max_tokens\":1",
            ",\"max_tokens\":1000000,\"max_completion_tokens\":1",
            ",\"n\":128,\"temperature\":0,\"top_p\":1,\"presence_penalty\":-2,\"frequency_penalty\":2.0",
            ",\"temperature\":0.7,\"top_p\":0.95,\"user\":\"end-user-42 ä\"",
            ",\"stop\":[\"\\n\\n\",\"\\u2028\"]",
            ",\"max_tokens\":null,\"temperature\":null,\"user\":null",
    })
    void valuesInsideTheBoundsPass(String extra) throws Exception {
        assertNull(validate(extra), extra);
    }

    @Test
    void identifiersInMessagesAreChecked() throws Exception {
        ApiError e = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get\\nweather\",\"arguments\":\"{}\"}}]}]}").validate(LIMITS);
        assertEquals("messages[1].tool_calls[0].function.name", e.param());
        assertEquals("messages[0].name", parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"name\":\"a\\u0000\","
                + "\"content\":\"x\"}]}").validate(LIMITS).param());
        assertEquals("messages[0].tool_call_id", parse("{\"model\":\"m\",\"messages\":[{\"role\":\"tool\","
                + "\"tool_call_id\":\"" + "c".repeat(129) + "\",\"content\":\"x\"}]}").validate(LIMITS).param());
        // content may contain any character
        assertNull(parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\\nb\\u0000\"}]}")
                .validate(LIMITS));
    }

    @Test
    void modelAndUserLengthAndControlCharacters() throws Exception {
        ApiError tooLong = parse("{\"model\":\"" + "m".repeat(10_000) + "\"," + MSG + "}").validate(LIMITS);
        assertEquals("model", tooLong.param());
        assertEquals("string_above_max_length", tooLong.code());
        assertFalse(tooLong.message().contains("mmmmmmmmmm"), tooLong.message());
        assertNull(parse("{\"model\":\"" + "m".repeat(256) + "\"," + MSG + "}").validate(LIMITS));
        // validate() without limits: no length cap below the edge
        assertNull(parse("{\"model\":\"" + "m".repeat(10_000) + "\"," + MSG + "}").validate());

        ApiError nul = parse("{\"model\":\"gpt\\u0000x\"," + MSG + "}").validate();
        assertEquals("model", nul.param());
        assertEquals("invalid_value", nul.code());
        assertTrue(nul.message().contains("U+0000 at position 3"), nul.message());

        assertEquals("user", validate(",\"user\":\"" + "u".repeat(257) + "\"").param());
        assertNull(validate(",\"user\":\"" + "u".repeat(256) + "\""));
    }

    @Test
    void permissiveValidationStillKeepsTokenBudgetsInsideAnInt() throws Exception {
        assertNull(parse("{\"model\":\"m\"," + MSG + ",\"max_tokens\":2147483647}").validate());
        assertEquals("integer_above_max_value",
                parse("{\"model\":\"m\"," + MSG + ",\"max_tokens\":2147483648}").validate().code());
        assertEquals("integer_below_min_value",
                parse("{\"model\":\"m\"," + MSG + ",\"max_tokens\":0}").validate().code());
    }
}
