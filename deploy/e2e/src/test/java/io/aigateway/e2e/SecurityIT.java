package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.*;

/** Keys stored only as hashes, roles enforced, internal endpoints closed, caller identity not spoofable. */
class SecurityIT {

    private static E2eStack stack;

    @BeforeAll
    static void up() {
        stack = E2eStack.get();
    }

    @Test
    void noPlaintextKeyIsStoredInTheDatabase() throws Exception {
        try (Connection c = stack.db(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from admin.api_keys k where k::text like ? or k::text like ?")) {
            ps.setString(1, "%" + stack.userKey + "%");
            ps.setString(2, "%" + stack.userKey.substring("aigw_".length()) + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1), "plaintext key found in admin.api_keys");
            }
        }
        try (Connection c = stack.db(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from admin.api_keys where user_id = ?")) {
            ps.setString(1, stack.userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the key row exists (hash only)");
            }
        }
    }

    @Test
    void adminRouteNeedsAnAdminKey() {
        given().baseUri(stack.url("admin")).get("/api/v1/ai/admin/providers")
                .then().statusCode(401).body("error.type", org.hamcrest.Matchers.notNullValue());
        given().baseUri(stack.url("admin")).header("Authorization", "Bearer aigw_unknown_" + UUID.randomUUID())
                .get("/api/v1/ai/admin/providers").then().statusCode(401);
        given().baseUri(stack.url("admin")).header("Authorization", "Bearer " + stack.userKey)
                .get("/api/v1/ai/admin/providers").then().statusCode(403).body("error.message", org.hamcrest.Matchers.notNullValue());
        Response ok = given().baseUri(stack.url("admin")).header("Authorization", "Bearer " + stack.adminKey)
                .get("/api/v1/ai/admin/providers");
        assertEquals(200, ok.statusCode(), ok.asString());
        assertTrue(ok.asString().contains("fake"));
        assertFalse(ok.asString().toLowerCase().contains("api-key") || ok.asString().contains("apiKey"),
                "no secrets in the provider listing");
    }

    @ParameterizedTest
    @CsvSource({
            "routing, POST, /internal/v1/route/chat",
            "routing, GET, /internal/v1/models",
            "adapter, GET, /internal/v1/providers",
            "adapter, POST, /internal/v1/providers/fake/chat",
            "usage, GET, /internal/v1/usage?userId=x",
            "admin, POST, /internal/v1/keys",
            "admin, GET, /internal/v1/keys/0000000000000000000000000000000000000000000000000000000000000000",
    })
    void internalEndpointsWithoutTheTokenAre401(String service, String method, String path) {
        String body = "{\"model\":\"fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"userId\":\"x\",\"roles\":[\"admin\"]}";
        given().baseUri(stack.url(service)).contentType(ContentType.JSON).body(body)
                .request(method, path).then().statusCode(401);
        given().baseUri(stack.url(service)).contentType(ContentType.JSON).body(body)
                .header("X-Aigw-Internal-Token", "wrong-" + UUID.randomUUID())
                .request(method, path).then().statusCode(401);
    }

    /**
     * Paths that normalize to /internal/** (dot-segments, percent-escapes) must not slip past the token check.
     * Sent over a raw socket because HTTP clients normalize paths themselves.
     */
    @ParameterizedTest
    @CsvSource({
            "routing, /x/../internal/v1/models",
            "routing, /%69nternal/v1/models",
            "adapter, /x/../internal/v1/providers",
            "adapter, /%69nternal/v1/providers",
            "usage, /x/../internal/v1/usage?userId=x",
            "usage, /%69nternal/v1/usage?userId=x",
            "admin, /x/../internal/v1/keys/0000000000000000000000000000000000000000000000000000000000000000",
            "admin, /%69nternal/v1/keys/0000000000000000000000000000000000000000000000000000000000000000",
    })
    void pathTricksDoNotBypassTheInternalToken(String service, String path) throws Exception {
        int port = java.net.URI.create(stack.url(service)).getPort();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            String statusLine = answer.lines().findFirst().orElse("");
            assertFalse(statusLine.contains(" 200"), service + " " + path + " answered without the token: " + statusLine);
            assertTrue(statusLine.matches("HTTP/1\\.1 (400|401|404).*"), service + " " + path + ": " + statusLine);
        }
    }

    @Test
    void clientSentCallerHeadersAreIgnored() throws Exception {
        stack.fakeReset();
        String requestId = "e2e-spoof-" + UUID.randomUUID();
        Response r = given().baseUri(stack.edgeUrl())
                .header("Authorization", "Bearer " + stack.userKey)
                .header("X-Request-Id", requestId)
                .header("X-Aigw-Caller-User", "evil")
                .header("X-Aigw-Caller-Roles", "admin")
                .header("X-Custom-Secret", "should-not-leave-the-edge")
                .contentType(ContentType.JSON)
                .body("{\"model\":\"fake/fake-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/v1/chat/completions");
        assertEquals(200, r.statusCode(), r.asString());
        ChatFlowIT.UsageRow row = ChatFlowIT.awaitUsageRow(requestId);
        assertEquals(stack.userId, row.userId(), "usage is billed to the key's user, not the spoofed one");
        JsonNode stats = stack.fakeStats();
        String s = stats.toString().toLowerCase();
        assertFalse(s.contains("evil"), "spoofed caller header reached the provider: " + stats);
        assertFalse(s.contains("should-not-leave-the-edge"), "client header reached the provider");
        assertFalse(s.contains(stack.userKey.toLowerCase()), "our API key reached the provider");
    }
}
