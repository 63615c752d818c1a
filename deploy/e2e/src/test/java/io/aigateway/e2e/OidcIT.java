package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.Json;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * People with OIDC tokens from the run's real Keycloak (realm aigw, deploy/keycloak): the demo user chats and is
 * charged under the token's subject, the admin user's token opens the admin API and the demo user's does not, and
 * forged, expired and foreign-audience tokens are refused.
 */
class OidcIT {

    private static E2eStack stack;
    private final ObjectMapper mapper = Json.newMapper();

    @BeforeAll
    static void up() {
        stack = E2eStack.get();
        assumeTrue(stack.keycloak != null, "no Keycloak in this run (deploy/bin/test starts one for the e2e module)");
    }

    private static JsonNode claims(ObjectMapper mapper, String jwt) throws Exception {
        return mapper.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private Response chat(String token) {
        return given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + token)
                .contentType(ContentType.JSON)
                .body("{\"model\":\"fake/fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"oidc " + UUID.randomUUID() + "\"}]}")
                .post("/v1/chat/completions");
    }

    @Test
    void theDemoUsersTokenChatsAndTheUsageRowIsTheirs() throws Exception {
        String token = stack.passwordToken("demo", stack.keycloakDemoPassword);
        String sub = claims(mapper, token).path("sub").asText();
        assertTrue(!sub.isEmpty());
        String requestId = "e2e-oidc-" + UUID.randomUUID();
        Response r = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + token)
                .header("X-Request-Id", requestId).contentType(ContentType.JSON)
                .body("{\"model\":\"fake/fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"oidc " + requestId + "\"}]}")
                .post("/v1/chat/completions");
        assertEquals(200, r.statusCode(), r.asString());
        ChatFlowIT.UsageRow row = ChatFlowIT.awaitUsageRow(requestId);
        assertEquals(sub, row.userId(), "usage is recorded under the token's subject");
    }

    @Test
    void aSignedInUserMakesUsesListsAndRevokesTheirOwnKey() throws Exception {
        String token = stack.passwordToken("demo", stack.keycloakDemoPassword);
        String sub = claims(mapper, token).path("sub").asText();
        Response created = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + token)
                .contentType(ContentType.JSON).body("{\"name\":\"e2e cli " + UUID.randomUUID() + "\"}")
                .post("/api/v1/ai/keys");
        assertEquals(201, created.statusCode(), created.asString());
        String key = created.jsonPath().getString("key");
        String keyId = created.jsonPath().getString("keyId");
        assertTrue(key.startsWith("aigw_"), "the key is shown once");
        String requestId = "e2e-oidc-key-" + UUID.randomUUID();
        Response chat = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + key)
                .header("X-Request-Id", requestId).contentType(ContentType.JSON)
                .body("{\"model\":\"fake/fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"" + requestId + "\"}]}")
                .post("/v1/chat/completions");
        assertEquals(200, chat.statusCode(), chat.asString());
        assertEquals(sub, ChatFlowIT.awaitUsageRow(requestId).userId(), "the new key acts as the token's user");
        Response list = given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + token).get("/api/v1/ai/keys");
        assertEquals(200, list.statusCode(), list.asString());
        assertTrue(list.asString().contains(keyId) && !list.asString().contains(key), "listed, never shown again");
        assertEquals(204, given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + token)
                .delete("/api/v1/ai/keys/" + keyId).statusCode());
        org.awaitility.Awaitility.await("the revoked key refused").atMost(java.time.Duration.ofSeconds(5))
                .until(() -> given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + key)
                        .get("/v1/models").statusCode() == 401);
    }

    @Test
    void theAdminsTokenOpensTheAdminApiAndTheDemoUsersDoesNot() throws Exception {
        String admin = stack.passwordToken("admin", stack.keycloakAdminPassword);
        String demo = stack.passwordToken("demo", stack.keycloakDemoPassword);
        Response ok = given().baseUri(stack.url("admin")).header("Authorization", "Bearer " + admin)
                .get("/api/v1/ai/admin/providers");
        assertEquals(200, ok.statusCode(), ok.asString());
        Response refused = given().baseUri(stack.url("admin")).header("Authorization", "Bearer " + demo)
                .get("/api/v1/ai/admin/providers");
        assertEquals(403, refused.statusCode(), refused.asString());
        assertNotNull(refused.jsonPath().getString("error.message"), "the refusal is in the envelope");
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() throws Exception {
        String token = stack.passwordToken("demo", stack.keycloakDemoPassword);
        String[] parts = token.split("\\.");
        var pair = KeyPairGenerator.getInstance("RSA");
        pair.initialize(2048);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(pair.generateKeyPair().getPrivate());
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        String forged = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
        assertRefused(chat(forged));
        assertRefused(given().baseUri(stack.url("admin")).header("Authorization", "Bearer " + forged).get("/api/v1/ai/admin/providers"));
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String token = stack.passwordToken("aigw-test-short-lived", "demo", stack.keycloakDemoPassword);
        long exp = claims(mapper, token).path("exp").asLong();
        long wait = exp * 1000 - System.currentTimeMillis() + 1500;
        if (wait > 0) {
            Thread.sleep(wait);
        }
        assertRefused(chat(token));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        String token = stack.passwordToken("aigw-test-other-audience", "demo", stack.keycloakDemoPassword);
        assertTrue(!claims(mapper, token).path("aud").toString().contains("\"aigw\""), "the token is not for the gateway");
        assertRefused(chat(token));
    }

    private static void assertRefused(Response r) {
        assertEquals(401, r.statusCode(), r.asString());
        assertNotNull(r.jsonPath().getString("error.message"), "the refusal is in the envelope: " + r.asString());
    }
}
