package io.aigateway.edge.auth;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.aigateway.edge.chat.ChatCompletionsTest;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.OidcIssuer;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * OIDC bearer tokens on the public routes (issuer: {@link OidcIssuer}, a WireMock realm with its own RSA key): a valid
 * token is a caller like a key (user id = {@code sub}, roles from {@code realm_access.roles} and {@code groups}, no key
 * id); expired, wrong audience, wrong issuer and foreign-signed tokens are 401 {@code invalid_token}; keys still work.
 */
@QuarkusTest
@TestProfile(OidcTokenTest.Profile.class)
class OidcTokenTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcIssuer.class));
        }
    }

    private static final String CHAT = "{\"model\":\"m-oidc\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void stubRouting() {
        WireMockResource.routing().stubFor(post(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m-oidc")))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody(ChatCompletionsTest.COMPLETION)));
    }

    @Test
    void validTokenIsACallerWithTheTokensSubject() {
        String sub = "oidc-user-" + UUID.randomUUID();
        given().header("Authorization", "Bearer " + OidcIssuer.token(sub, List.of("user")))
                .contentType("application/json").body(CHAT)
                .post("/v1/chat/completions").then().statusCode(200).body("choices[0].message.content", equalTo("Hello"));
        WireMockResource.routing().verify(1, postRequestedFor(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withHeader("X-Aigw-Caller-User", WireMock.equalTo(sub))
                .withHeader("X-Aigw-Caller-Roles", WireMock.equalTo("user"))
                .withHeader("X-Aigw-Caller-Key", WireMock.equalTo("")));
    }

    @Test
    void realmRolesAndGroupsAreMapped() {
        String sub = "oidc-admin-" + UUID.randomUUID();
        String token = OidcIssuer.token(sub, List.of("admin", "user", "offline_access"),
                c -> c.setStringListClaim("groups", "beta"));
        given().header("Authorization", "Bearer " + token).contentType("application/json").body(CHAT)
                .post("/v1/chat/completions").then().statusCode(200);
        WireMockResource.routing().verify(1, postRequestedFor(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withHeader("X-Aigw-Caller-User", WireMock.equalTo(sub))
                .withHeader("X-Aigw-Caller-Roles", WireMock.equalTo("admin,beta,offline_access,user")));

        // a token without the user role is forbidden, like an admin-only key
        given().header("Authorization", "Bearer " + OidcIssuer.token("oidc-nouser", List.of("admin")))
                .get("/api/v1/ai/preferences").then().statusCode(403).body("error.type", equalTo("permission_error"));
    }

    @Test
    void otherPublicRoutesAcceptTokens() {
        String sub = "oidc-prefs-" + UUID.randomUUID();
        WireMockResource.routing().stubFor(get(urlEqualTo("/internal/v1/preferences"))
                .withHeader("X-Aigw-Caller-User", WireMock.equalTo(sub))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody("{\"preferences\":[]}")));
        given().header("Authorization", "Bearer " + OidcIssuer.token(sub, List.of("user")))
                .get("/api/v1/ai/preferences").then().statusCode(200).body("preferences.size()", equalTo(0));
        WireMockResource.admin().stubFor(get(urlPathMatching("/internal/v1/quotas/users/" + sub + "/usage"))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody("{\"userId\":\"" + sub + "\"}")));
        given().header("Authorization", "Bearer " + OidcIssuer.token(sub, List.of("user")))
                .get("/api/v1/ai/usage").then().statusCode(200);
        // no keyId for a token caller
        WireMockResource.admin().verify(1, getRequestedFor(urlEqualTo("/internal/v1/quotas/users/" + sub + "/usage")));
    }

    @Test
    void refusedTokensAre401InTheEnvelope() {
        List<String> user = List.of("user");
        String[] refused = {
                OidcIssuer.token("u-expired", user, c -> {
                    c.setIssuedAtToNow();
                    c.setExpirationTimeMinutesInTheFuture(-10);
                }),
                OidcIssuer.token("u-aud", user, c -> c.setAudience("someone-else")),
                OidcIssuer.token("u-iss", user, c -> c.setIssuer("http://127.0.0.1:1/realms/other")),
                OidcIssuer.foreignToken("u-foreign", user),
                OidcIssuer.token("u-tampered", user) + "x",
        };
        for (String token : refused) {
            given().header("Authorization", "Bearer " + token).contentType("application/json").body(CHAT)
                    .post("/v1/chat/completions").then()
                    .statusCode(401)
                    .header("x-should-retry", "false")
                    .body("error.code", equalTo("invalid_token"))
                    .body("error.message", not(containsString(token.substring(0, 20))));
        }
        WireMockResource.routing().verify(0, postRequestedFor(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m-oidc"))));
    }

    @Test
    void apiKeysStillWorkAndAreNeverSentToTheIssuer() {
        Keys.TestKey key = Keys.inRedis(redis, "key-user-" + UUID.randomUUID(), "user");
        given().header("Authorization", key.bearer()).contentType("application/json").body(CHAT)
                .post("/v1/chat/completions").then().statusCode(200);
        given().header("Authorization", Keys.newKey("nobody").bearer()).get("/v1/models").then()
                .statusCode(401).body("error.code", equalTo("invalid_api_key"));
        // neither a key nor something shaped like a JWT: the key message, no verification
        given().header("Authorization", "Bearer not-a-token").get("/v1/models").then()
                .statusCode(401).body("error.code", equalTo("invalid_api_key"));
        OidcIssuer.server().getAllServeEvents().forEach(e -> {
            String auth = e.getRequest().getHeader("Authorization");
            if (auth != null && auth.contains("aigw_")) {
                throw new AssertionError("an API key reached the issuer");
            }
        });
    }

    @Test
    void tokenCallersManageTheirOwnKeys() {
        String sub = "oidc-keys-" + UUID.randomUUID();
        WireMockResource.admin().stubFor(get(urlEqualTo("/internal/v1/users/" + sub + "/keys"))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody("{\"data\":[]}")));
        given().header("Authorization", "Bearer " + OidcIssuer.token(sub, List.of("user")))
                .get("/api/v1/ai/keys").then().statusCode(200).body("data.size()", equalTo(0));
    }
}
