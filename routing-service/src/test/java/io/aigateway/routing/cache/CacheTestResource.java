package io.aigateway.routing.cache;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * adapter-service stand-in (WireMock) plus the cache turned on with a key prefix of this run. The cache tests reach
 * Redis through test-support's RedisProxyResource, so they can cut and resume it.
 */
public class CacheTestResource implements QuarkusTestResourceLifecycleManager {

    static WireMockServer adapter;
    static final String PREFIX = "aigw:test:cache:" + UUID.randomUUID().toString().substring(0, 8) + ":v1:";

    static final String CATALOG = """
            [
             {"id":"fake","kind":"openai","displayName":"Fake","enabled":true,"healthy":true,"models":[
               {"id":"fake-chat","displayName":"Fake chat","contextWindow":8192,"promptPricePer1k":0.0015,"completionPricePer1k":0.002,"qualityScore":0.6,
                "capabilities":{"streaming":true,"tools":false,"images":false,"json":true}}]},
             {"id":"fakeb","kind":"openai","displayName":"Fake B","enabled":true,"healthy":true,"models":[
               {"id":"fake-chat","displayName":"Fake chat","contextWindow":8192,"promptPricePer1k":0.001,"completionPricePer1k":0.002,"qualityScore":0.5}]}
            ]""";

    @Override
    public Map<String, String> start() {
        adapter = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(30));
        adapter.start();
        stubCatalog();
        String spool;
        try {
            spool = Files.createTempDirectory("aigw-routing-cache-spool").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> m = new HashMap<>();
        m.put("aigw.adapter.url", adapter.baseUrl());
        m.put("aigw.usage.spool-dir", spool);
        m.put("aigw.catalog.retry-interval", "1s");
        m.put("aigw.cache.enabled", "true");
        m.put("aigw.cache.key-prefix", PREFIX);
        m.put("aigw.cache.redis-backoff", "1s");
        m.put("aigw.cache.redis-failure-threshold", "2");
        m.put("aigw.cache.redis-confirm-timeout", "1s");
        m.put("aigw.cache.redis-timeout", "1s"); // the machine is shared and slow; the outage test checks no request waits for it
        m.put("aigw.cache.stats-sync-interval", "500ms");
        m.put("aigw.cache.prune-interval", "1s");
        m.put("aigw.cache.warming.concurrency", "2");
        m.put("aigw.cache.warming.rate-per-second", "20");
        return m;
    }

    static void stubCatalog() {
        adapter.stubFor(get(urlEqualTo("/internal/v1/providers"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(CATALOG)));
    }

    @Override
    public void stop() {
        if (adapter != null) {
            adapter.stop();
        }
    }
}
