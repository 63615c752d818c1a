package io.aigateway.routing.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CandidateBodiesTest {

    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void eachCandidateGetsTheRequestWithItsModelAndTheParsedRequestIsUntouched() throws Exception {
        String text = "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9 \\\"q\\\"\"}],"
                + "\"temperature\":0.2,\"x_unknown\":{\"a\":[1,null,true]},\"stream\":true}";
        ObjectNode request = (ObjectNode) mapper.readTree(text);
        ObjectNode before = request.deepCopy();
        CandidateBodies bodies = new CandidateBodies(mapper, request);
        for (String model : new String[] {"fake-chat", "other/\"quoted\"\\model", "fake-chat"}) {
            JsonNode sent = mapper.readTree(bodies.forModel(model).getBytes());
            ObjectNode expected = before.deepCopy();
            expected.put("model", model);
            assertEquals(expected, sent);
        }
        assertEquals(before, request);
    }

    @Test
    void aRequestWithoutOtherFieldsOrWithoutModel() throws Exception {
        assertEquals("{\"model\":\"m\"}", new CandidateBodies(mapper, (ObjectNode) mapper.readTree("{\"model\":\"x\"}"))
                .forModel("m").toString(StandardCharsets.UTF_8));
        assertEquals("{\"messages\":[],\"model\":\"m\"}",
                new CandidateBodies(mapper, (ObjectNode) mapper.readTree("{\"messages\":[]}")).forModel("m")
                        .toString(StandardCharsets.UTF_8));
    }

    @Test
    void tokenHeadersAreReadLeniently() {
        assertEquals(12, RoutedChatPipeline.integer(" 12 "));
        assertEquals(null, RoutedChatPipeline.integer("-1"));
        assertEquals(null, RoutedChatPipeline.integer("x"));
        assertEquals(null, RoutedChatPipeline.integer(""));
        assertEquals(null, RoutedChatPipeline.integer(null));
        assertEquals(0, new java.math.BigDecimal("0.25").compareTo(RoutedChatPipeline.decimal("0.25")));
        assertEquals(null, RoutedChatPipeline.decimal("n/a"));
        assertEquals(null, RoutedChatPipeline.decimal(" "));
    }
}
