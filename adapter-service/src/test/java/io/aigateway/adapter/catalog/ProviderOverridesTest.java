package io.aigateway.adapter.catalog;

import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.ChatResult;
import io.aigateway.adapter.provider.ChunkSink;
import io.aigateway.adapter.provider.HealthResult;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderException;
import io.aigateway.adapter.provider.ProviderSettings;
import io.aigateway.adapter.provider.RateLimitSnapshot;
import io.aigateway.adapter.provider.StreamHandle;
import io.aigateway.contracts.catalog.Cost;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.config.ProviderOverride;
import io.aigateway.contracts.error.ErrorClass;
import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.openai.Usage;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Override application to settings (pure) and the {@link ManagedProvider} decorator over a stub adapter. */
class ProviderOverridesTest {

    static final ModelInfo.Capabilities CAPS = new ModelInfo.Capabilities(true, false, false, false);
    static final ModelInfo CHAT = new ModelInfo("chat", "Chat", 8192, new BigDecimal("0.001"), new BigDecimal("0.002"), 0.5, CAPS);
    static final ModelInfo MINI = new ModelInfo("mini", "Mini", 4096, new BigDecimal("0.0001"), new BigDecimal("0.0002"), 0.3, CAPS);
    static final ProviderSettings.TimeoutValues TIMEOUTS = new ProviderSettings.TimeoutValues(Duration.ofSeconds(5),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60));
    static final ProviderSettings.PoolValues POOL = new ProviderSettings.PoolValues(100, true, Duration.ofSeconds(60));

    static ProviderSettings file(boolean switchedOn, String keyProblem) {
        return new ProviderSettings("fake", "openai", "Fake", "http://localhost/v1", "k", switchedOn, keyProblem,
                ProviderCatalog.FILE_OFF, List.of(CHAT, MINI), POOL, TIMEOUTS, null, 0, 0);
    }

    static ProviderOverride override(Boolean enabled, Integer priority, Map<String, ProviderOverride.ModelOverride> models,
                                     ProviderOverride.Timeouts timeouts, Integer pool, Integer rate) {
        return new ProviderOverride("fake", enabled, priority, null, models, timeouts, pool, rate, 1, Instant.EPOCH, "admin");
    }

    @Test
    void noOverrideIsTheFile() {
        ProviderSettings f = file(true, null);
        assertSame(f, ProviderOverrides.effective(f, null));
    }

    @Test
    void everyFieldOfTheOverrideApplies() {
        ProviderOverride o = new ProviderOverride("fake", null, 5, 0.7,
                Map.of("chat", new ProviderOverride.ModelOverride(false, new BigDecimal("0.5"), null, 1000, null)),
                new ProviderOverride.Timeouts(null, 1500L, null, 9000L), 7, 30, 2, Instant.EPOCH, "admin");
        ProviderSettings e = ProviderOverrides.effective(file(true, null), o);
        assertTrue(e.enabled());
        assertEquals(5, e.priority());
        assertEquals(30, e.rateLimitPerMinute());
        assertEquals(7, e.pool().maxConnections());
        assertTrue(e.pool().keepAlive(), "the rest of the pool from the file");
        assertEquals(Duration.ofSeconds(5), e.timeouts().connect());
        assertEquals(Duration.ofMillis(1500), e.timeouts().firstByte());
        assertEquals(Duration.ofSeconds(30), e.timeouts().betweenChunks());
        assertEquals(Duration.ofSeconds(9), e.timeouts().total());
        ModelInfo chat = e.model("chat");
        assertFalse(chat.isEnabled());
        assertEquals(new BigDecimal("0.5"), chat.promptPricePer1k());
        assertEquals(new BigDecimal("0.002"), chat.completionPricePer1k());
        assertEquals(1000, chat.contextWindow());
        assertEquals(0.7, chat.qualityScore());
        assertEquals(0.7, e.model("mini").qualityScore(), "provider-wide quality");
        assertTrue(e.model("mini").isEnabled());
        assertEquals("http://localhost/v1", e.baseUrl());
        assertEquals("k", e.apiKey());
    }

    @Test
    void enabledSwitchesButNeverOverAMissingKey() {
        ProviderSettings off = ProviderOverrides.effective(file(true, null), override(false, null, null, null, null, null));
        assertFalse(off.enabled());
        assertEquals(ProviderOverrides.ADMIN_OFF, off.disabledReason());

        ProviderSettings fileOff = file(false, null);
        assertFalse(fileOff.enabled());
        assertTrue(ProviderOverrides.effective(fileOff, override(true, null, null, null, null, null)).enabled(),
                "an admin may turn on a provider the file switched off");
        assertEquals(ProviderCatalog.FILE_OFF,
                ProviderOverrides.effective(fileOff, override(null, 3, null, null, null, null)).disabledReason());

        ProviderSettings noKey = file(true, "no API key configured (AIGW_PROVIDERS_FAKE_API_KEY)");
        ProviderSettings stillOff = ProviderOverrides.effective(noKey, override(true, null, null, null, null, null));
        assertFalse(stillOff.enabled());
        assertEquals("no API key configured (AIGW_PROVIDERS_FAKE_API_KEY)", stillOff.disabledReason());
    }

    @Test
    void connectionChangesOnlyWithTimeoutsOrPool() {
        ProviderSettings f = file(true, null);
        assertTrue(ProviderOverrides.sameConnection(f, ProviderOverrides.effective(f,
                override(false, 3, Map.of("chat", new ProviderOverride.ModelOverride(false, null, null, null, null)), null, null, 10))));
        assertFalse(ProviderOverrides.sameConnection(f, ProviderOverrides.effective(f, override(null, null, null, null, 5, null))));
        assertFalse(ProviderOverrides.sameConnection(f, ProviderOverrides.effective(f,
                override(null, null, null, new ProviderOverride.Timeouts(1000L, null, null, null), null, null))));
        assertTrue(ProviderOverrides.sameConnection(f, ProviderOverrides.effective(f,
                override(null, null, null, new ProviderOverride.Timeouts(5000L, null, null, null), 100, null))),
                "the file's own values are no change");
    }

    @Test
    void badValuesAreNamed() {
        ProviderOverride bad = new ProviderOverride("fake", null, null, 1.5,
                Map.of("chat", new ProviderOverride.ModelOverride(null, new BigDecimal("-1"), null, 0, null)),
                new ProviderOverride.Timeouts(0L, null, null, null), 0, -1, 1, Instant.EPOCH, "admin");
        List<String> problems = ProviderOverrides.problems(bad);
        assertEquals(6, problems.size(), problems.toString());
        assertTrue(ProviderOverrides.problems(override(false, 1, null, null, 1, 0)).isEmpty());
    }

    // ---- ManagedProvider ------------------------------------------------------------------------

    @Test
    void managedProviderAppliesCatalogFieldsOnTopAndRebuildsOnlyForConnectionChanges() {
        List<StubAdapter> built = new ArrayList<>();
        List<Duration> graces = new ArrayList<>();
        List<ProviderAdapter> retired = new ArrayList<>();
        ManagedProvider p = new ManagedProvider(file(true, null), s -> {
            StubAdapter a = new StubAdapter(s);
            built.add(a);
            return a;
        }, (old, grace) -> {
            retired.add(old);
            graces.add(grace);
        });
        assertEquals(1, built.size());

        assertFalse(p.apply(override(null, 2, Map.of("chat",
                new ProviderOverride.ModelOverride(false, new BigDecimal("0.01"), null, null, null)), null, null, null)));
        assertEquals(1, built.size(), "catalog changes keep the adapter");
        assertFalse(p.model("chat").isEnabled());
        assertEquals(new BigDecimal("0.01"), p.model("chat").promptPricePer1k());
        assertFalse(p.models().get(0).isEnabled());
        assertEquals(0, new BigDecimal("0.02").compareTo(p.estimateCost(p.model("chat"), 2000, 0)), "the new price costs the call");
        assertEquals(2, p.settings().priority());

        assertTrue(p.apply(override(null, null, null, new ProviderOverride.Timeouts(null, null, null, 2000L), 3, null)));
        assertEquals(2, built.size());
        assertEquals(3, built.get(1).settings().pool().maxConnections());
        assertEquals(List.of(CHAT, MINI), built.get(1).settings().models(), "the adapter below has the file's catalog");
        assertEquals(List.of(built.get(0)), retired);
        assertEquals(Duration.ofSeconds(90), graces.get(0), "old total timeout + chunk gap");
        assertTrue(p.model("chat").isEnabled(), "the whole override replaces the previous one");

        assertTrue(p.apply(null));
        assertNull(p.override());
        assertEquals(100, p.settings().pool().maxConnections());
        assertEquals(0, p.settings().priority());
    }

    @Test
    void overTheRequestLimitACallFailsRateLimitedAtOnce() {
        ManagedProvider p = new ManagedProvider(file(true, null), StubAdapter::new, (old, grace) -> { });
        p.apply(override(null, null, null, null, null, 1));
        ChatCall call = new ChatCall("r1", CHAT, null, null);
        assertEquals("ok", p.chat(call).await().indefinitely().body().toString());
        ProviderException e = org.junit.jupiter.api.Assertions.assertThrows(ProviderException.class,
                () -> p.chat(call).await().indefinitely());
        assertEquals(ErrorClass.RATE_LIMITED, e.error().errorClass());
        assertTrue(e.error().retryAfterMs() > 0);
        List<ProviderError> streamed = new ArrayList<>();
        p.chatStream(call, new ChunkSink() {
            @Override
            public void chunk(String json, boolean hasContent) {
            }

            @Override
            public boolean writeQueueFull() {
                return false;
            }

            @Override
            public void drainHandler(Runnable resume) {
            }

            @Override
            public void complete(Usage usage, boolean usageEstimated) {
            }

            @Override
            public void error(ProviderError error) {
                streamed.add(error);
            }
        });
        assertEquals(ErrorClass.RATE_LIMITED, streamed.get(0).errorClass());
        p.apply(override(null, null, null, null, null, 0));
        assertEquals("ok", p.chat(call).await().indefinitely().body().toString(), "0 = no limit");
    }

    /** The adapter below: answers "ok", prices from the model it is given. */
    static final class StubAdapter implements ProviderAdapter {
        private final ProviderSettings settings;

        StubAdapter(ProviderSettings settings) {
            this.settings = settings;
        }

        @Override
        public ProviderSettings settings() {
            return settings;
        }

        @Override
        public Uni<ChatResult> chat(ChatCall call) {
            return Uni.createFrom().item(new ChatResult(Buffer.buffer("ok"), new Usage(1, 1, 2), false, 1));
        }

        @Override
        public StreamHandle chatStream(ChatCall call, ChunkSink sink) {
            sink.complete(new Usage(1, 1, 2), false);
            return () -> { };
        }

        @Override
        public BigDecimal estimateCost(ModelInfo model, int promptTokens, int completionTokens) {
            return Cost.of(promptTokens, completionTokens, model);
        }

        @Override
        public Uni<HealthResult> healthCheck() {
            return Uni.createFrom().item(new HealthResult(settings.id(), true, Instant.now(), 1L, "ok"));
        }

        @Override
        public RateLimitSnapshot rateLimit() {
            return RateLimitSnapshot.NONE;
        }

        @Override
        public ProviderError mapHttpError(int status, MultiMap headers, Buffer body, String model) {
            return null;
        }

        @Override
        public ProviderError mapFailure(Throwable failure, String model) {
            return null;
        }

        @Override
        public void close() {
        }
    }
}
