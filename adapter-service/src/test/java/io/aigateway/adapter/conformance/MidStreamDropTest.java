package io.aigateway.adapter.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.contracts.internal.SseParser;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A provider that resets the connection after the first chunk: the chunk is relayed, then aigw-error CONNECTION. */
@QuarkusTest
@TestProfile(AdapterTestProfile.class)
class MidStreamDropTest {

    @Inject
    ObjectMapper mapper;

    @Test
    void connectionResetMidStreamIsAigwErrorConnection() throws Exception {
        Response r = given().header(AigwHeaders.INTERNAL_TOKEN, "test-internal-token")
                .header(AigwHeaders.REQUEST_ID, "drop-1")
                .contentType("application/json").accept("text/event-stream")
                .body("{\"model\":\"fake-chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/internal/v1/providers/fakeb/chat");
        assertEquals(200, r.statusCode(), r.asString());
        SseParser parser = new SseParser();
        List<SseParser.Event> events = new ArrayList<>(parser.feed(r.asByteArray()));
        events.addAll(parser.finish());
        assertEquals(2, events.size(), r.asString());
        assertEquals(DroppingUpstreamResource.CHUNK, events.get(0).data());
        assertEquals(AigwHeaders.EVENT_ERROR, events.get(1).event());
        assertEquals("CONNECTION", mapper.readTree(events.get(1).data()).get("errorClass").asText());
        assertFalse(r.asString().contains("[DONE]"));
    }
}
