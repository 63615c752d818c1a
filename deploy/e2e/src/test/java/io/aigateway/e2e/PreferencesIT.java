package io.aigateway.e2e;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User preferences through the real stack: edge → routing (PostgreSQL schema routing, Redis mirror) → steering. */
class PreferencesIT {

    private static final String PREFS = "/api/v1/ai/preferences";

    private static E2eStack stack;

    @BeforeAll
    static void up() {
        stack = E2eStack.get();
    }

    @BeforeEach
    void reset() throws Exception {
        stack.fakeReset();
        stack.resetBreakers();
        // no preference left over from an earlier run of this test in the same stack
        given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey).delete(PREFS + "/writing");
    }

    private static String chat(String key, String context) {
        Response r = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + key)
                .header("X-Aigw-Policy", "user-preference").header("X-Aigw-Context", context)
                .contentType(ContentType.JSON)
                .body("{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"hello " + UUID.randomUUID() + "\"}]}")
                .post("/v1/chat/completions");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("user-preference", r.header("x-aigw-policy"));
        return r.header("x-aigw-provider");
    }

    @Test
    void aPreferenceSteersItsOwnersRequestsOnlyAndCanBeDeleted() throws Exception {
        String otherKey = stack.createKey("e2e-pref-other-" + stack.runId, List.of("user"));
        assertEquals("fake", chat(stack.userKey, "writing"), "without a preference: the group's configured order");

        Response put = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                .contentType(ContentType.JSON).body("{\"context\":\"writing\",\"provider\":\"fakeb\",\"model\":\"fake-chat\"}")
                .put(PREFS);
        assertEquals(200, put.statusCode(), put.asString());
        assertEquals("fakeb", put.jsonPath().getString("provider"));
        assertEquals("Fake provider B", put.jsonPath().getString("providerDisplayName"));
        assertEquals("Fake chat (B)", put.jsonPath().getString("modelDisplayName"));

        for (int i = 0; i < 3; i++) {
            assertEquals("fakeb", chat(stack.userKey, "writing"), "the preference steers user-preference routing");
        }
        assertEquals("fake", chat(otherKey, "writing"), "another user's requests are not steered");

        Response mine = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey).get(PREFS);
        assertEquals(200, mine.statusCode(), mine.asString());
        assertEquals(List.of("writing"), mine.jsonPath().getList("preferences.context"));
        assertEquals("user-preference", mine.jsonPath().getString("defaults.policy"));
        Response theirs = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + otherKey)
                .header("X-Aigw-Caller-User", stack.userId).get(PREFS);
        assertEquals(200, theirs.statusCode(), theirs.asString());
        assertTrue(theirs.jsonPath().getList("preferences").isEmpty(), "another user sees none of them: " + theirs.asString());

        Response bad = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                .contentType(ContentType.JSON).body("{\"context\":\"writing\",\"provider\":\"nosuch\",\"model\":\"fake-chat\"}")
                .put(PREFS);
        assertEquals(400, bad.statusCode(), bad.asString());
        assertEquals("provider", bad.jsonPath().getString("error.param"));

        given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + otherKey).delete(PREFS + "/writing")
                .then().statusCode(404);
        given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey).delete(PREFS + "/writing")
                .then().statusCode(204);
        Response again = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                .delete(PREFS + "/writing");
        assertEquals(404, again.statusCode(), again.asString());
        assertEquals("not_found", again.jsonPath().getString("error.code"));
        assertEquals("fake", chat(stack.userKey, "writing"), "deleted: the configured order again");

        given().baseUri(stack.edgeUrl()).get(PREFS).then().statusCode(401);
    }
}
