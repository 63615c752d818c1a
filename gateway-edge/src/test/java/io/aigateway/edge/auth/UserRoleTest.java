package io.aigateway.edge.auth;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.aigateway.edge.chat.ChatCompletionsTest;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.function.Function;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The user API needs role {@code user}: a live key with only {@code admin} gets 403 on every public route. */
@QuarkusTest
class UserRoleTest {

    private static final String CHAT = "{\"model\":\"m-role\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Inject
    RedisDataSource redis;

    @Test
    void adminOnlyKeyIsForbiddenOnEveryUserRoute() {
        Keys.TestKey adminOnly = Keys.inRedis(redis, "admin-only-" + UUID.randomUUID(), "admin");
        Keys.TestKey adminOnlyAtAdmin = Keys.atAdmin("admin-only-2-" + UUID.randomUUID(), "admin");
        for (Keys.TestKey key : new Keys.TestKey[]{adminOnly, adminOnlyAtAdmin}) {
            forbidden(r -> r.contentType("application/json").body(CHAT).post("/v1/chat/completions"), key);
            forbidden(r -> r.get("/v1/models"), key);
            forbidden(r -> r.get("/api/v1/ai/preferences"), key);
            forbidden(r -> r.contentType("application/json")
                    .body("{\"context\":\"default\",\"provider\":\"fake\",\"model\":\"fake-chat\"}")
                    .put("/api/v1/ai/preferences"), key);
            forbidden(r -> r.delete("/api/v1/ai/preferences/default"), key);
        }
        WireMockResource.routing().verify(0, postRequestedFor(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m-role"))));
    }

    @Test
    void keysWithTheUserRoleAreServed() {
        WireMockResource.routing().stubFor(post(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("m-role-ok")))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody(ChatCompletionsTest.COMPLETION)));
        String body = CHAT.replace("m-role", "m-role-ok");
        for (String roles : new String[]{"user", "admin,user"}) {
            Keys.TestKey key = Keys.inRedis(redis, "role-ok-" + UUID.randomUUID(), roles);
            given().header("Authorization", key.bearer()).contentType("application/json").body(body)
                    .post("/v1/chat/completions").then().statusCode(200);
        }
        // no key and an unknown key stay 401 (authentication before authorisation)
        given().contentType("application/json").body(body).post("/v1/chat/completions").then().statusCode(401);
        given().header("Authorization", Keys.newKey("nobody").bearer()).get("/v1/models").then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"));
    }

    private static void forbidden(Function<RequestSpecification, io.restassured.response.Response> call,
                                  Keys.TestKey key) {
        call.apply(given().header("Authorization", key.bearer())).then()
                .statusCode(403)
                .header("x-should-retry", "false")
                .header("x-request-id", org.hamcrest.Matchers.notNullValue())
                .body("error.type", equalTo("permission_error"))
                .body("error.code", equalTo("forbidden"))
                .body("error.message", org.hamcrest.Matchers.containsString("'user' role"));
    }
}
