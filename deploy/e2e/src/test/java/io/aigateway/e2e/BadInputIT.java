package io.aigateway.e2e;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.*;

/** Bad input gets the right 4xx in the OpenAI envelope through the whole stack, never a 500. */
class BadInputIT {

    private static E2eStack stack;

    @BeforeAll
    static void up() {
        stack = E2eStack.get();
    }

    private static void assertEnvelope(Response r, int status) {
        assertEquals(status, r.statusCode(), r.asString());
        Map<String, Object> error = r.jsonPath().getMap("error");
        assertNotNull(error, r.asString());
        assertTrue(error.keySet().containsAll(java.util.List.of("message", "type", "param", "code")), r.asString());
        assertFalse(r.asString().contains("Exception") || r.asString().contains("\tat "), "stack trace leaked: " + r.asString());
        assertNotNull(r.header("x-request-id"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON|{\"model\":\"fake/fake-chat\",\"messages\":[|",
            "missing model|{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}|model",
            "empty messages|{\"model\":\"fake/fake-chat\",\"messages\":[]}|messages",
            "messages not an array|{\"model\":\"fake/fake-chat\",\"messages\":\"hi\"}|messages",
            "model not a string|{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}|model",
            "stream not a boolean|{\"model\":\"fake/fake-chat\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}|stream",
            "body not an object|[1,2,3]|",
    })
    void badBodiesAre400(String name, String body, String param) {
        Response r = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                .contentType(ContentType.JSON).body(body).post("/v1/chat/completions");
        assertEnvelope(r, 400);
        if (param != null && !param.isEmpty()) {
            assertEquals(param, r.jsonPath().getString("error.param"));
        }
    }

    @Test
    void unknownModelIs404() {
        Response r = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                .contentType(ContentType.JSON)
                .body("{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions");
        assertEnvelope(r, 404);
        assertEquals("model_not_found", r.jsonPath().getString("error.code"));
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "x".repeat(8 * 1024 * 1024 + 10);
        Response r = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                .contentType(ContentType.JSON)
                .body("{\"model\":\"fake/fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}")
                .post("/v1/chat/completions");
        assertEnvelope(r, 413);
    }

    @Test
    void missingOrWrongKeyIs401() {
        String body = "{\"model\":\"fake/fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}";
        assertEnvelope(given().baseUri(stack.edgeUrl()).contentType(ContentType.JSON).body(body)
                .post("/v1/chat/completions"), 401);
        assertEnvelope(given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer aigw_wrong_key_123456789")
                .contentType(ContentType.JSON).body(body).post("/v1/chat/completions"), 401);
        assertEnvelope(given().baseUri(stack.edgeUrl()).header("Authorization", "Basic Zm9vOmJhcg==")
                .contentType(ContentType.JSON).body(body).post("/v1/chat/completions"), 401);
    }
}
