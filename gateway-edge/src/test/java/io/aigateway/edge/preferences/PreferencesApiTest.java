package io.aigateway.edge.preferences;

import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;

/** The public preferences routes against a WireMock routing-service: authentication, forwarded identity, relay. */
@QuarkusTest
@QuarkusTestResource(WireMockResource.class)
class PreferencesApiTest {

    static final String PATH = "/api/v1/ai/preferences";
    static final String INTERNAL = "/internal/v1/preferences";

    @Test
    void getForwardsTheKeysIdentityNeverTheClientsAndRelaysTheAnswer() {
        Keys.TestKey key = Keys.atAdmin("pref-get-" + UUID.randomUUID(), "user");
        String answer = "{\"preferences\":[{\"context\":\"writing\",\"provider\":\"fakeb\",\"providerDisplayName\":\"Fake B\","
                + "\"model\":\"fake-chat\",\"modelDisplayName\":\"Fake chat\",\"usageCount\":3,\"lastUsedAt\":null}],"
                + "\"defaults\":{\"policy\":\"user-preference\",\"model\":\"chat-default\"}}";
        WireMockResource.routing().stubFor(get(urlEqualTo(INTERNAL))
                .withHeader("X-Aigw-Caller-User", equalTo(key.userId()))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(answer)));
        String rid = "rid-" + UUID.randomUUID();
        given().header("Authorization", key.bearer())
                .header("X-Request-Id", rid)
                .header("X-Aigw-Caller-User", "someone-else")
                .header("X-Aigw-Caller-Roles", "admin")
                .get(PATH)
                .then().statusCode(200)
                .header("x-request-id", rid)
                .header("content-type", "application/json")
                .body(Matchers.equalTo(answer));
        WireMockResource.routing().verify(1, getRequestedFor(urlEqualTo(INTERNAL))
                .withHeader("X-Aigw-Internal-Token", equalTo("test-internal-token"))
                .withHeader("X-Aigw-Caller-User", equalTo(key.userId()))
                .withHeader("X-Aigw-Caller-Key", equalTo(key.keyId()))
                .withHeader("X-Aigw-Caller-Roles", equalTo("user"))
                .withHeader("X-Request-Id", equalTo(rid)));
        WireMockResource.routing().verify(0, anyRequestedFor(urlPathMatching(INTERNAL + ".*"))
                .withHeader("X-Aigw-Caller-User", equalTo("someone-else")));
    }

    @Test
    void putForwardsTheBodyAndRelaysRoutingsStatusAndEnvelope() {
        Keys.TestKey key = Keys.atAdmin("pref-put-" + UUID.randomUUID(), "user");
        String ok = "{\"context\":\"writing\",\"provider\":\"fakeb\",\"providerDisplayName\":\"Fake B\",\"model\":\"fake-chat\","
                + "\"modelDisplayName\":\"Fake chat\",\"usageCount\":0,\"lastUsedAt\":null}";
        String bad = "{\"error\":{\"message\":\"Unknown provider 'nosuch'.\",\"type\":\"invalid_request_error\",\"param\":\"provider\",\"code\":\"invalid_provider\"}}";
        WireMockResource.routing().stubFor(put(urlEqualTo(INTERNAL))
                .withHeader("X-Aigw-Caller-User", equalTo(key.userId()))
                .withRequestBody(equalToJson("{\"context\":\"writing\",\"provider\":\"fakeb\",\"model\":\"fake-chat\"}"))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(ok)));
        WireMockResource.routing().stubFor(put(urlEqualTo(INTERNAL))
                .withHeader("X-Aigw-Caller-User", equalTo(key.userId()))
                .withRequestBody(equalToJson("{\"context\":\"writing\",\"provider\":\"nosuch\",\"model\":\"fake-chat\"}"))
                .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json").withBody(bad)));

        given().header("Authorization", key.bearer()).contentType("application/json")
                .body("{\"context\":\"writing\",\"provider\":\"fakeb\",\"model\":\"fake-chat\"}")
                .put(PATH).then().statusCode(200).body(Matchers.equalTo(ok));
        given().header("Authorization", key.bearer()).contentType("application/json")
                .body("{\"context\":\"writing\",\"provider\":\"nosuch\",\"model\":\"fake-chat\"}")
                .put(PATH).then().statusCode(400).body(Matchers.equalTo(bad));
        WireMockResource.routing().verify(2, putRequestedFor(urlEqualTo(INTERNAL))
                .withHeader("X-Aigw-Internal-Token", equalTo("test-internal-token"))
                .withHeader("X-Aigw-Caller-User", equalTo(key.userId()))
                .withHeader("content-type", equalTo("application/json")));

        // body limit: 413 in the envelope, routing not called
        given().header("Authorization", key.bearer()).contentType("application/json")
                .body("{\"context\":\"" + "x".repeat(20_000) + "\"}")
                .put(PATH).then().statusCode(413).body("error.code", Matchers.equalTo("request_too_large"));
        WireMockResource.routing().verify(2, putRequestedFor(urlEqualTo(INTERNAL))
                .withHeader("X-Aigw-Caller-User", equalTo(key.userId())));
    }

    @Test
    void deleteForwardsTheContextAndRelays204And404() {
        Keys.TestKey key = Keys.atAdmin("pref-del-" + UUID.randomUUID(), "user");
        String notFound = "{\"error\":{\"message\":\"No preference for context 'coding'.\",\"type\":\"invalid_request_error\",\"param\":\"context\",\"code\":\"not_found\"}}";
        WireMockResource.routing().stubFor(delete(urlEqualTo(INTERNAL + "/writing"))
                .withHeader("X-Aigw-Caller-User", equalTo(key.userId()))
                .willReturn(aResponse().withStatus(204)));
        WireMockResource.routing().stubFor(delete(urlEqualTo(INTERNAL + "/coding"))
                .withHeader("X-Aigw-Caller-User", equalTo(key.userId()))
                .willReturn(aResponse().withStatus(404).withHeader("content-type", "application/json").withBody(notFound)));

        given().header("Authorization", key.bearer()).delete(PATH + "/writing").then().statusCode(204).body(emptyString());
        given().header("Authorization", key.bearer()).delete(PATH + "/coding").then().statusCode(404).body(Matchers.equalTo(notFound));
        given().urlEncodingEnabled(false).header("Authorization", key.bearer()).delete(PATH + "/Not%20Valid").then().statusCode(400)
                .body("error.param", Matchers.equalTo("context"));
        WireMockResource.routing().verify(1, deleteRequestedFor(urlEqualTo(INTERNAL + "/writing"))
                .withHeader("X-Aigw-Internal-Token", equalTo("test-internal-token"))
                .withHeader("X-Aigw-Caller-User", equalTo(key.userId())));
        WireMockResource.routing().verify(2, anyRequestedFor(urlPathMatching(INTERNAL + ".*"))
                .withHeader("X-Aigw-Caller-User", equalTo(key.userId())));
    }

    @Test
    void withoutAValidKeyNothingReachesRouting() {
        String intruder = "intruder-" + UUID.randomUUID();
        given().header("X-Aigw-Caller-User", intruder).get(PATH).then().statusCode(401)
                .body("error.code", Matchers.equalTo("invalid_api_key"));
        given().header("X-Aigw-Caller-User", intruder).contentType("application/json")
                .body("{\"context\":\"writing\",\"provider\":\"fakeb\",\"model\":\"fake-chat\"}")
                .put(PATH).then().statusCode(401).body("error.code", Matchers.equalTo("invalid_api_key"));
        given().header("X-Aigw-Caller-User", intruder).delete(PATH + "/writing").then().statusCode(401);
        given().header("Authorization", "Bearer aigw_unknownkeyvalue").header("X-Aigw-Caller-User", intruder)
                .get(PATH).then().statusCode(401);
        WireMockResource.routing().verify(0, anyRequestedFor(urlPathMatching(INTERNAL + ".*"))
                .withHeader("X-Aigw-Caller-User", equalTo(intruder)));
        given().post(PATH).then().statusCode(405).header("allow", "GET, PUT").body("error.code", Matchers.equalTo("method_not_allowed"));
    }
}
