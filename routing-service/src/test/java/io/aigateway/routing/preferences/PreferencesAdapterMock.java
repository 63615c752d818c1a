package io.aigateway.routing.preferences;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * adapter-service stand-in for the preference tests: WireMock on a dynamic port with a catalog holding a healthy
 * pair (fake, fakeb; fakeb cannot do tools), an unhealthy provider (sick) and a disabled one (down).
 */
public class PreferencesAdapterMock implements QuarkusTestResourceLifecycleManager {

    static volatile WireMockServer server;

    static final String CATALOG = """
            [
             {"id":"fake","kind":"openai","displayName":"Fake","enabled":true,"healthy":true,"models":[
               {"id":"fake-chat","displayName":"Fake chat","contextWindow":8192,"promptPricePer1k":0.0015,"completionPricePer1k":0.002,"qualityScore":0.6,
                "capabilities":{"streaming":true,"tools":true,"images":false,"json":true}},
               {"id":"fake-chat-large","displayName":"Fake large","contextWindow":32768,"promptPricePer1k":0.005,"completionPricePer1k":0.015,"qualityScore":0.9}]},
             {"id":"fakeb","kind":"openai","displayName":"Fake B","enabled":true,"healthy":true,"models":[
               {"id":"fake-chat","displayName":"Fake B chat","contextWindow":8192,"promptPricePer1k":0.001,"completionPricePer1k":0.002,"qualityScore":0.5,
                "capabilities":{"streaming":true,"tools":false,"images":false,"json":true}}]},
             {"id":"sick","kind":"openai","displayName":"Sick","enabled":true,"healthy":false,"models":[
               {"id":"sick-model","displayName":"Sick model","contextWindow":8192}]},
             {"id":"down","kind":"openai","displayName":"Down","enabled":false,"healthy":true,"models":[
               {"id":"down-model","displayName":"Down","contextWindow":8192}]}
            ]""";

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(20));
        server.start();
        stubCatalog();
        String spool;
        try {
            spool = Files.createTempDirectory("aigw-routing-pref-spool-test").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "aigw.adapter.url", server.baseUrl(),
                "aigw.usage.spool-dir", spool,
                "aigw.catalog.retry-interval", "1s");
    }

    static void stubCatalog() {
        server.stubFor(get(urlEqualTo("/internal/v1/providers"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(CATALOG)));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
