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
}
