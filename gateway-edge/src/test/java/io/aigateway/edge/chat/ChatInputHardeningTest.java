package io.aigateway.edge.chat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.aigateway.edge.chat.ChatCompletionsTest.COMPLETION;
import static io.aigateway.edge.chat.ChatCompletionsTest.ROUTE;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edge input hardening on {@code POST /v1/chat/completions}: strict JSON, the validated body forwarded,
 * identifiers without control characters and within length caps, numeric bounds, document shape limits.
 * Every rejected request must answer 400 in the OpenAI envelope with the exact code and param, and must
 * never reach routing-service.
 */
@QuarkusTest
@QuarkusTestResource(WireMockResource.class)
public class ChatInputHardeningTest {

    static final String MODEL = "m-harden";
    static final String MSGS = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    static final String OK = "{\"model\":\"" + MODEL + "\"," + MSGS;

    @Inject
    RedisDataSource redis;

    Keys.TestKey key;

    @BeforeEach
    void setUp() {
        key = Keys.inRedis(redis, "user-" + UUID.randomUUID(), "user");
        WireMockResource.routing().stubFor(post(urlEqualTo(ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(MODEL)))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody(COMPLETION)));
    }

    private Response send(String body) {
        return send(body, "rid-" + UUID.randomUUID());
    }

    private Response send(String body, String rid) {
        return given().header("Authorization", key.bearer()).header("X-Request-Id", rid)
                .contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/v1/chat/completions");
    }

    private static List<LoggedRequest> routed(String rid) {
        return WireMockResource.routing().findAll(postRequestedFor(urlEqualTo(ROUTE))
                .withHeader("X-Request-Id", WireMock.equalTo(rid)));
    }

    /** 400, the envelope with the exact code and param, and nothing sent to routing. */
    private Response expect400(String body, String param, String code) {
        String rid = "rid-bad-" + UUID.randomUUID();
        Response r = send(body, rid);
        String where = "for body " + (body.length() > 200 ? body.substring(0, 200) + "…" : body) + ": " + r.asString();
        assertEquals(400, r.statusCode(), where);
        assertEquals("invalid_request_error", r.path("error.type"), where);
        assertEquals(code, r.path("error.code"), where);
        assertEquals(param, r.path("error.param"), where);
        assertTrue(r.asString().contains("\"param\""), "param key present " + where);
        assertEquals(rid, r.header("x-request-id"));
        assertFalse(r.asString().contains("Exception"), where);
        assertEquals(0, routed(rid).size(), "must not reach routing " + where);
        return r;
    }

    // --- 1. strict JSON ------------------------------------------------------------------------------

    @Test
    void trailingTokensAfterTheObjectAre400() {
        expect400(OK + "} GARBAGE", null, "invalid_json");
        expect400(OK + "}{\"model\":\"other\"}", null, "invalid_json");
        expect400(OK + "} 1", null, "invalid_json");
        expect400(OK + "}]", null, "invalid_json");
        expect400(OK + "} // comment", null, "invalid_json");
        // whitespace after the object is fine
        assertEquals(200, send(OK + "}  \n\t ").statusCode());
    }

    @Test
    void duplicateKeysAtAnyDepthAre400NamingTheKey() {
        expect400("{\"model\":\"" + MODEL + "\",\"model\":\"other\"," + MSGS + "}", "model", "duplicate_key");
        expect400("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"role\":\"system\",\"content\":\"hi\"}]}",
                "messages[0].role", "duplicate_key");
        expect400(OK + ",\"x_vendor\":{\"a\":[1,{\"b\":1,\"b\":2}]}}", "x_vendor.a[1].b", "duplicate_key");
        // a key repeated in different objects is not a duplicate
        assertEquals(200, send("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                + "{\"role\":\"assistant\",\"content\":\"b\"}],\"x\":{\"model\":1}}").statusCode());
    }

    // --- 2. the validated body is forwarded ----------------------------------------------------------

    @Test
    void routingReceivesTheValidatedTreeWithFieldOrderAndExactNumbers() {
        String body = "{ \"model\" : \"" + MODEL + "\",\n \"temperature\": 0.7, \"top_p\" : 0.950,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"grüße \\u00e9 \\n 日本 \\ud83d\\ude00\"}],"
                + " \"x_big\": 123456789012345678901234567890, \"x_exp\": 1e3, \"x_small\": 0.1000000000000000055511151231257827,"
                + " \"seed\": -9007199254740993, \"max_tokens\": 1000000, \"x_nested\": {\"z\": null, \"a\": [true, false]} }";
        String rid = "rid-fwd-" + UUID.randomUUID();
        Response r = send(body, rid);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(COMPLETION, r.asString());
        List<LoggedRequest> sent = routed(rid);
        assertEquals(1, sent.size());
        assertEquals("{\"model\":\"" + MODEL + "\",\"temperature\":0.7,\"top_p\":0.950,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"grüße é \\n 日本 😀\"}],"
                        + "\"x_big\":123456789012345678901234567890,\"x_exp\":1E+3,"
                        + "\"x_small\":0.1000000000000000055511151231257827,\"seed\":-9007199254740993,"
                        + "\"max_tokens\":1000000,\"x_nested\":{\"z\":null,\"a\":[true,false]}}",
                new String(sent.get(0).getBody(), StandardCharsets.UTF_8));
        assertEquals("application/json", sent.get(0).getHeader("Content-Type"));
    }

    @Test
    void unpairedSurrogatesAreForwardedEscaped() {
        String rid = "rid-sur-" + UUID.randomUUID();
        assertEquals(200, send("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"a\\ud800b\"}]}",
                rid).statusCode());
        assertEquals("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"a\\uD800b\"}]}",
                routed(rid).get(0).getBodyAsString());
    }

    @Test
    void whatRoutingReceivesIsWhatWasChecked() {
        // The same bytes read leniently (last duplicate wins) would route "other"; the edge refuses them instead,
        // and an accepted body reaches routing re-serialised, so a second reading cannot differ from the first.
        expect400("{\"model\":\"" + MODEL + "\"," + MSGS + ",\"model\":\"other\"}", "model", "duplicate_key");
        String rid = "rid-same-" + UUID.randomUUID();
        assertEquals(200, send(OK + ",\"user\":\"u-1\"}", rid).statusCode());
        assertEquals("{\"model\":\"" + MODEL + "\"," + MSGS + ",\"user\":\"u-1\"}",
                routed(rid).get(0).getBodyAsString());
    }

    // --- 3. identifiers -------------------------------------------------------------------------------

    @Test
    void controlCharactersInIdentifiersAre400NamingTheField() {
        expect400("{\"model\":\"m\\u0000x\"," + MSGS + "}", "model", "invalid_value");
        Response forged = expect400("{\"model\":\"m\\r\\n12:00:00.000 INFO forged\"," + MSGS + "}", "model", "invalid_value");
        assertFalse(forged.asString().contains("forged"), forged.asString());
        assertEquals("Invalid 'model': contains the control character U+000D at position 1.", forged.path("error.message"));
        expect400("{\"model\":\"m\\u2028x\"," + MSGS + "}", "model", "invalid_value");
        expect400("{\"model\":\"m\\u007f\"," + MSGS + "}", "model", "invalid_value");
        expect400(OK + ",\"user\":\"alice\\nbob\"}", "user", "invalid_value");
        expect400(OK + ",\"user\":\"a\\u2029\"}", "user", "invalid_value");
        expect400(OK + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get\\tweather\"}}]}",
                "tools[0].function.name", "invalid_value");
        expect400("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\\u0000\",\"content\":\"hi\"}]}",
                "messages[0].role", "invalid_value");
        // message text and stop sequences may contain line breaks
        assertEquals(200, send("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"a\\nb\\u0000\"}],"
                + "\"stop\":[\"\\n\\n\"]}").statusCode());
    }

    @Test
    void overLongIdentifiersAre400WithoutEchoingThem() {
        String longModel = "m".repeat(10_000);
        Response r = expect400("{\"model\":\"" + longModel + "\"," + MSGS + "}", "model", "string_above_max_length");
        String message = r.path("error.message");
        assertEquals("Invalid 'model': string too long. Expected a string with maximum length 256, but got a string "
                + "with length 10000 instead.", message);
        assertTrue(r.asString().length() < 400, "answer length " + r.asString().length());
        expect400(OK + ",\"user\":\"" + "u".repeat(257) + "\"}", "user", "string_above_max_length");
        expect400(OK + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"" + "f".repeat(257) + "\"}}]}",
                "tools[0].function.name", "string_above_max_length");
        // at the caps: accepted (the 256-character model reaches routing)
        String rid = "rid-cap-" + UUID.randomUUID();
        WireMockResource.routing().stubFor(post(urlEqualTo(ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m".repeat(256))))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(COMPLETION)));
        assertEquals(200, send("{\"model\":\"" + "m".repeat(256) + "\"," + MSGS + ",\"user\":\"" + "u".repeat(256) + "\"}",
                rid).statusCode());
        assertEquals(1, routed(rid).size());
    }

    // --- 4. numeric parameters ------------------------------------------------------------------------

    @Test
    void tokenBudgetsMustBeIntegersFromOneToTheCap() {
        expect400(OK + ",\"max_tokens\":0}", "max_tokens", "integer_below_min_value");
        expect400(OK + ",\"max_tokens\":-1}", "max_tokens", "integer_below_min_value");
        expect400(OK + ",\"max_tokens\":1000001}", "max_tokens", "integer_above_max_value");
        expect400(OK + ",\"max_tokens\":2147483647}", "max_tokens", "integer_above_max_value");
        Response wrapped = expect400(OK + ",\"max_tokens\":4294967297}", "max_tokens", "integer_above_max_value");
        assertEquals("Invalid 'max_tokens': integer above maximum value. Expected a value <= 1000000, but got "
                + "4294967297 instead.", wrapped.path("error.message"));
        Response huge = expect400(OK + ",\"max_tokens\":" + "9".repeat(500) + "}", "max_tokens", "integer_above_max_value");
        assertFalse(huge.asString().contains("9".repeat(100)), "a huge value is not echoed whole");
        expect400(OK + ",\"max_tokens\":1e3}", "max_tokens", "invalid_type");
        expect400(OK + ",\"max_tokens\":100.0}", "max_tokens", "invalid_type");
        expect400(OK + ",\"max_tokens\":\"12\"}", "max_tokens", "invalid_type");
        expect400(OK + ",\"max_completion_tokens\":0}", "max_completion_tokens", "integer_below_min_value");
        expect400(OK + ",\"max_completion_tokens\":4294967297}", "max_completion_tokens", "integer_above_max_value");
        assertEquals(200, send(OK + ",\"max_tokens\":1,\"max_completion_tokens\":1000000}").statusCode());
    }

    @Test
    void samplingParametersHaveTheirBounds() {
        expect400(OK + ",\"n\":0}", "n", "integer_below_min_value");
        expect400(OK + ",\"n\":129}", "n", "integer_above_max_value");
        expect400(OK + ",\"temperature\":2.5}", "temperature", "decimal_above_max_value");
        expect400(OK + ",\"temperature\":-0.1}", "temperature", "decimal_below_min_value");
        expect400(OK + ",\"top_p\":1.01}", "top_p", "decimal_above_max_value");
        expect400(OK + ",\"presence_penalty\":-2.01}", "presence_penalty", "decimal_below_min_value");
        expect400(OK + ",\"frequency_penalty\":2.5}", "frequency_penalty", "decimal_above_max_value");
        expect400(OK + ",\"frequency_penalty\":\"1\"}", "frequency_penalty", "invalid_type");
        assertEquals(200, send(OK + ",\"n\":128,\"temperature\":2,\"top_p\":0,\"presence_penalty\":-2,"
                + "\"frequency_penalty\":2.0}").statusCode());
    }

    // --- 5. document shape ----------------------------------------------------------------------------

    @Test
    void fieldCountIsCappedOverTheWholeDocument() {
        // model, messages, messages[0], role, content, x_list = 6 members/elements, plus the list's elements
        int atCap = 50_000 - 6;
        assertEquals(200, send(OK + ",\"x_list\":[" + zeros(atCap) + "]}").statusCode());
        Response r = expect400(OK + ",\"x_list\":[" + zeros(atCap + 1) + "]}", null, "too_many_json_fields");
        assertEquals("The JSON body has more than 50000 object members and array elements.", r.path("error.message"));
        // members count as much as elements
        StringBuilder obj = new StringBuilder(OK + ",\"x_obj\":{");
        for (int i = 0; i <= atCap; i++) {
            obj.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":0");
        }
        expect400(obj + "}}", null, "too_many_json_fields");
        // nested containers count once each, as a member or an element
        assertEquals(200, send(OK + ",\"x_list\":[" + "[],".repeat(atCap - 1) + "{}]}").statusCode());
        expect400(OK + ",\"x_list\":[" + "[],".repeat(atCap) + "{}]}", null, "too_many_json_fields");
    }

    @Test
    void nestingDepthIsCapped() {
        // the top-level object is depth 1: 63 nested arrays reach depth 64
        assertEquals(200, send(OK + ",\"x_deep\":" + "[".repeat(63) + "]".repeat(63) + "}").statusCode());
        Response r = expect400(OK + ",\"x_deep\":" + "[".repeat(64) + "]".repeat(64) + "}", null, "json_too_deep");
        assertEquals("The JSON body is nested deeper than 64 levels.", r.path("error.message"));
        expect400(OK + ",\"x_deep\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5000) + "}", null, "json_too_deep");
    }

    @Test
    void notJsonStaysInvalidJson() {
        expect400("{\"model\":\"m\",", null, "invalid_json");
        expect400("{\"model\":NaN}", null, "invalid_json");
        expect400("{\"model\":\"" + MODEL + "\",\"max_tokens\":0012}", null, "invalid_json");
        expect400("{\"model\":\"m\"}" + (char) 0, null, "invalid_json");
        expect400("", null, "invalid_json");
    }

    private static String zeros(int n) {
        StringBuilder sb = new StringBuilder(n * 2);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "0" : ",0");
        }
        return sb.toString();
    }
}
