package io.aigateway.routing.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.contracts.internal.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheKeysTest {

    static final ObjectMapper MAPPER = Json.newMapper();

    static final String BASE = "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
            + "{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.2}";

    static ObjectNode json(String s) throws Exception {
        return (ObjectNode) MAPPER.readTree(s);
    }

    static String key(String s) throws Exception {
        return CacheKeys.hash(json(s), null);
    }

    @Test
    void hexSha256() throws Exception {
        assertTrue(key(BASE).matches("[0-9a-f]{64}"));
    }

    @Test
    void reorderedFieldsAndWhitespaceGiveTheSameKey() throws Exception {
        String reordered = "{ \"temperature\" : 0.2, \"messages\" : [ {\"content\":\"Be brief.\", \"role\":\"system\"},"
                + " {\"content\":\"hi\",\"role\":\"user\"} ],\n \"model\":\"chat-default\" }";
        assertEquals(key(BASE), key(reordered));
    }

    @Test
    void numbersAreNormalised() throws Exception {
        String a = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":1,\"max_tokens\":100,\"seed\":7}";
        String b = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":1.0,\"max_tokens\":1e2,\"seed\":7.00}";
        String c = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":1e0,\"max_tokens\":100.0,\"seed\":70e-1}";
        assertEquals(key(a), key(b));
        assertEquals(key(a), key(c));
        assertNotEquals(key(a), key(a.replace("\"temperature\":1", "\"temperature\":1.5")));
    }

    @Test
    void excludedMembersDoNotChangeTheKey() throws Exception {
        String with = BASE.substring(0, BASE.length() - 1) + ",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"user\":\"end-user-7\",\"metadata\":{\"trace\":\"x\"},\"store\":true,\"request_id\":\"r-1\"}";
        assertEquals(key(BASE), key(with));
    }

    @Test
    void globalScopeIgnoresTheUserAndUserScopeSeparatesUsers() throws Exception {
        String asU1 = BASE.substring(0, BASE.length() - 1) + ",\"user\":\"u1\"}";
        String asU2 = BASE.substring(0, BASE.length() - 1) + ",\"user\":\"u2\"}";
        assertEquals(CacheKeys.hash(json(asU1), null), CacheKeys.hash(json(asU2), null));
        String u1 = CacheKeys.hash(json(BASE), "user-1");
        String u2 = CacheKeys.hash(json(BASE), "user-2");
        assertNotEquals(u1, u2);
        assertNotEquals(u1, CacheKeys.hash(json(BASE), null));
        assertEquals(u1, CacheKeys.hash(json(asU2), "user-1"));
    }

    /** Every output-changing option of the issue (and provider extras): present vs absent, and two values. */
    @ParameterizedTest
    @ValueSource(strings = {
            "temperature|0.3|0.4",
            "top_p|0.9|0.8",
            "max_tokens|50|51",
            "max_completion_tokens|50|60",
            "stop|[\"\\n\"]|[\"END\"]",
            "n|2|3",
            "seed|42|43",
            "tools|[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]|[{\"type\":\"function\",\"function\":{\"name\":\"g\",\"parameters\":{}}}]",
            "tool_choice|\"none\"|\"auto\"",
            "response_format|{\"type\":\"json_object\"}|{\"type\":\"text\"}",
            "presence_penalty|0.5|0.6",
            "frequency_penalty|0.5|-0.5",
            "logit_bias|{\"50256\":-100}|{\"50256\":100}",
            "top_k|40|41",
            "x_provider_extra|{\"a\":1}|{\"a\":2}"})
    void eachOutputChangingOptionChangesTheKey(String spec) throws Exception {
        String[] p = spec.split("\\|");
        String base = "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        String v1 = base.substring(0, base.length() - 1) + ",\"" + p[0] + "\":" + p[1] + "}";
        String v2 = base.substring(0, base.length() - 1) + ",\"" + p[0] + "\":" + p[2] + "}";
        assertNotEquals(key(base), key(v1), spec);
        assertNotEquals(key(v1), key(v2), spec);
        assertEquals(key(v1), key(v1.replace(":", " : ")), spec);
    }

    @Test
    void messagesModelAndSystemPromptChangeTheKey() throws Exception {
        assertNotEquals(key(BASE), key(BASE.replace("\"hi\"", "\"hello\"")));
        assertNotEquals(key(BASE), key(BASE.replace("Be brief.", "Be verbose.")));
        assertNotEquals(key(BASE), key(BASE.replace("chat-default", "fake/fake-chat")));
        // message order matters
        String swapped = "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"system\",\"content\":\"Be brief.\"}],\"temperature\":0.2}";
        assertNotEquals(key(BASE), key(swapped));
    }

    @Test
    void canonicalFormIsSortedAndCompact() throws Exception {
        assertEquals("{\"request\":{\"a\":{\"x\":1,\"y\":[2,\"s\\\"\"]},\"b\":0.5,\"model\":\"m\"},\"scope\":\"global\"}",
                CacheKeys.canonical(json("{\"model\":\"m\", \"b\": 0.50, \"a\": {\"y\": [2.0, \"s\\\"\"], \"x\": 1}}"), null));
    }

    @Test
    void routingSteeringIsPartOfTheKeyButNeverTheUserId() throws Exception {
        ObjectNode req = json(BASE);
        String cost = CacheKeys.hash(req, null, CacheKeys.route("cost", null));
        assertNotEquals(cost, CacheKeys.hash(req, null, CacheKeys.route("quality", null)));
        String none = CacheKeys.hash(req, null, CacheKeys.route("user-preference", null));
        String toB = CacheKeys.hash(req, null, CacheKeys.route("user-preference", "fakeb/fake-chat"));
        assertNotEquals(none, toB);
        assertNotEquals(toB, CacheKeys.hash(req, null, CacheKeys.route("user-preference", "fake/fake-chat")));
        // two callers with the same preference share the entry: the key holds the preference, not who has it
        assertEquals(toB, CacheKeys.hash(json(BASE), null, CacheKeys.route("user-preference", "fakeb/fake-chat")));
        assertEquals("{\"request\":{\"model\":\"m\"},\"route\":\"user-preference:p/m\",\"scope\":\"global\"}",
                CacheKeys.canonical(json("{\"model\":\"m\"}"), null, "user-preference:p/m"));
    }
}
