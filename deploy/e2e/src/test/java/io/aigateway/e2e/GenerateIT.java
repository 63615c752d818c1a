package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.Json;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The native API through the whole stack: the answer's cost and attempts are routing's, the usage row agrees. */
class GenerateIT {

    private static E2eStack stack;
    private final ObjectMapper mapper = Json.newMapper();

    @BeforeAll
    static void up() {
        stack = E2eStack.get();
    }

    @BeforeEach
    void reset() throws Exception {
        stack.fakeReset();
        stack.resetBreakers();
    }

    private Response generate(String requestId, String body) {
        return given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                .header("X-Request-Id", requestId).contentType(ContentType.JSON).body(body)
                .post("/api/v1/ai/generate");
    }

    @Test
    void jsonAnswerCarriesTheChargedCostAndTheAttempts() throws Exception {
        String rid = "e2e-gen-" + UUID.randomUUID();
        Response r = generate(rid, "{\"prompt\":\"Say hello " + rid + "\",\"systemPrompt\":\"Be brief.\","
                + "\"provider\":\"fake\",\"model\":\"fake-chat\",\"useCache\":false,\"context\":\"writing\"}");
        assertEquals(200, r.statusCode(), r.asString());
        JsonNode a = mapper.readTree(r.asString());
        assertEquals(rid, a.path("requestId").asText());
        assertFalse(a.path("content").asText().isEmpty(), r.asString());
        assertEquals("fake", a.path("provider").asText());
        assertEquals("fake-chat", a.path("model").asText());
        assertFalse(a.path("cached").asBoolean(true));
        assertEquals(1, a.path("attempts").size(), r.asString());
        ChatFlowIT.UsageRow row = ChatFlowIT.awaitUsageRow(rid);
        assertEquals(0, new BigDecimal(a.path("costUsd").asText()).compareTo(row.costUsd()), "answer vs usage row");
        assertEquals(row.promptTokens(), a.at("/usage/promptTokens").asInt());
        assertEquals(row.completionTokens(), a.at("/usage/completionTokens").asInt());
    }

    @Test
    void aStreamSendsDeltasThenDoneWithTheCost() throws Exception {
        String rid = "e2e-gen-stream-" + UUID.randomUUID();
        Response r = generate(rid, "{\"prompt\":\"Tell me a story " + rid + "\",\"model\":\"fake/fake-chat\",\"stream\":true,\"useCache\":false}");
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.contentType().startsWith("text/event-stream"), r.contentType());
        List<String> events = new ArrayList<>();
        StringBuilder content = new StringBuilder();
        JsonNode done = null;
        String event = null;
        for (String line : r.asString().split("\n")) {
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
                events.add(event);
            } else if (line.startsWith("data:") && event != null) {
                JsonNode data = mapper.readTree(line.substring(5).trim());
                if (event.equals("delta")) {
                    content.append(data.path("content").asText());
                } else if (event.equals("done")) {
                    done = data;
                }
            }
        }
        assertTrue(events.size() >= 2 && events.get(0).equals("delta"), events.toString());
        assertEquals("done", events.get(events.size() - 1), events.toString());
        assertFalse(content.toString().isEmpty());
        assertTrue(done != null && done.path("content").isMissingNode(), String.valueOf(done));
        ChatFlowIT.UsageRow row = ChatFlowIT.awaitUsageRow(rid);
        assertTrue(row.streamed());
        assertEquals(0, new BigDecimal(done.path("costUsd").asText("0")).compareTo(row.costUsd()),
                "the done event's cost is what the usage row charged: " + done);
    }

    @Test
    void theCacheAnswersTheSecondIdenticalRequestUnlessTheCallerOptsOut() throws Exception {
        String prompt = "cache me " + UUID.randomUUID();
        String body = "{\"prompt\":\"" + prompt + "\",\"model\":\"fake/fake-chat\"}";
        assertEquals(200, generate("e2e-gen-c1-" + UUID.randomUUID(), body).statusCode());
        JsonNode second = mapper.readTree(generate("e2e-gen-c2-" + UUID.randomUUID(), body).asString());
        assertTrue(second.path("cached").asBoolean(false), second.toString());
        JsonNode optedOut = mapper.readTree(generate("e2e-gen-c3-" + UUID.randomUUID(),
                "{\"prompt\":\"" + prompt + "\",\"model\":\"fake/fake-chat\",\"useCache\":false}").asString());
        assertFalse(optedOut.path("cached").asBoolean(true), optedOut.toString());
    }

    @Test
    void anUnknownModelIsA404InTheEnvelopeAndBadInputA400NamingTheField() throws Exception {
        Response unknown = generate("e2e-gen-404-" + UUID.randomUUID(), "{\"prompt\":\"x\",\"model\":\"nope/never\"}");
        assertEquals(404, unknown.statusCode(), unknown.asString());
        assertFalse(unknown.jsonPath().getString("error.message").isEmpty());
        Response bad = generate("e2e-gen-400-" + UUID.randomUUID(), "{\"prompt\":\"x\",\"options\":{\"temperature\":\"hot\"}}");
        assertEquals(400, bad.statusCode(), bad.asString());
        assertEquals("options.temperature", bad.jsonPath().getString("error.param"));
        assertNull(bad.getHeader("x-aigw-cost-usd"));
    }
}
