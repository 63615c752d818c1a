package io.aigateway.edge.auth;

import io.aigateway.contracts.internal.KeyHashing;
import io.aigateway.edge.chat.ChatCompletionsTest;
import io.aigateway.edge.support.Keys;
import io.aigateway.edge.support.WireMockResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class KeyLookupTest {

    @TestHTTPResource("/v1/chat/completions")
    URI chatUri;

    @Test
    void concurrentLookupsOfOneKeyShareOneAdminCallAndAreCached() throws Exception {
        WireMockResource.routing().stubFor(post(urlEqualTo(ChatCompletionsTest.ROUTE))
                .withRequestBody(matchingJsonPath("$.model", equalTo("m-lookup")))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody(ChatCompletionsTest.COMPLETION)));
        Keys.TestKey key = Keys.atAdmin("lookup-user", "user");
        String hashPath = "/internal/v1/keys/" + KeyHashing.sha256Hex(key.key());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(chatUri)
                .header("Authorization", key.bearer())
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"m-lookup\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            all.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            assertEquals(200, f.get().statusCode());
        }
        assertEquals(200, http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode());
        WireMockResource.admin().verify(1, getRequestedFor(urlPathEqualTo(hashPath))
                .withHeader("X-Aigw-Internal-Token", equalTo("test-internal-token")));
    }
}
