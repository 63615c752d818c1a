package io.aigateway.adapter.catalog;

import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.adapter.provider.ProviderAdapter;
import io.aigateway.adapter.provider.ProviderAdapterFactory;
import io.aigateway.adapter.provider.ProviderSettings;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderCatalogTest {

    private static final ProviderAdapterFactory OPENAI = new ProviderAdapterFactory() {
        @Override
        public String kind() {
            return "openai";
        }

        @Override
        public boolean requiresApiKeyByDefault() {
            return true;
        }

        @Override
        public ProviderAdapter create(ProviderSettings settings) {
            throw new UnsupportedOperationException();
        }
    };

    private static List<ProviderSettings> resolve(Map<String, String> props, Function<String, String> env) {
        Map<String, String> all = new HashMap<>(props);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(AigwConfig.class)
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 100)).withValidateUnknown(false).build();
        return ProviderCatalog.resolve(config.getConfigMapping(AigwConfig.class).providers(), List.of(OPENAI), env);
    }

    private static List<ProviderSettings> resolveLenient(Map<String, String> props, List<String> problems) {
        Map<String, String> all = new HashMap<>(props);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(AigwConfig.class)
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 100)).withValidateUnknown(false).build();
        return ProviderCatalog.resolve(config.getConfigMapping(AigwConfig.class).providers(), List.of(OPENAI),
                n -> null, problems);
    }

    @Test
    void eachBadSettingIsOneLineAndValidProvidersStay() {
        Map<String, String> props = new HashMap<>(provider("good", "requires-api-key", "false"));
        props.putAll(provider("bad", "kind", "gemini", "base-url", "ftp://host", "timeouts.total", "0s",
                "models[0].context-window", "0"));
        props.putAll(provider("nokey"));
        List<String> problems = new java.util.ArrayList<>();
        List<ProviderSettings> ok = resolveLenient(props, problems);
        assertEquals(List.of("good", "nokey"), ok.stream().map(ProviderSettings::id).toList());
        assertEquals(4, problems.size(), String.join("\n", problems));
        assertTrue(problems.stream().anyMatch(p -> p.contains("gemini") && p.contains("aigw.providers.bad.kind")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("aigw.providers.bad.base-url")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("aigw.providers.bad.timeouts.total")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("aigw.providers.bad.models[0].context-window")), problems.toString());
        problems.forEach(p -> assertFalse(p.contains("\n"), "one line each"));
        ProviderSettings nokey = ok.get(1);
        assertFalse(nokey.enabled());
        assertTrue(nokey.disabledReason().contains("AIGW_PROVIDERS_NOKEY_API_KEY"));
    }

    private static Map<String, String> provider(String id, String... extra) {
        Map<String, String> m = new HashMap<>();
        m.put("aigw.providers." + id + ".base-url", "http://127.0.0.1:8090/" + id + "/v1/");
        m.put("aigw.providers." + id + ".models[0].id", "m1");
        m.put("aigw.providers." + id + ".models[0].prompt-price-per-1k", "0.0015");
        m.put("aigw.providers." + id + ".models[0].completion-price-per-1k", "0.002");
        for (int i = 0; i < extra.length; i += 2) {
            m.put("aigw.providers." + id + "." + extra[i], extra[i + 1]);
        }
        return m;
    }

    @Test
    void resolvesWithDefaults() {
        ProviderSettings s = resolve(provider("fake", "requires-api-key", "false"), n -> null).get(0);
        assertEquals("fake", s.id());
        assertEquals("openai", s.kind());
        assertTrue(s.enabled());
        assertEquals("http://127.0.0.1:8090/fake/v1", s.baseUrl(), "trailing slash removed");
        assertEquals(new BigDecimal("0.0015"), s.model("m1").promptPricePer1k());
        assertEquals(new BigDecimal("0.002"), s.model("m1").completionPricePer1k());
        assertEquals(100, s.pool().maxConnections());
        assertTrue(s.pool().keepAlive());
        assertEquals(Duration.ofSeconds(5), s.timeouts().connect());
        assertEquals(Duration.ofSeconds(30), s.timeouts().firstByte());
        assertEquals(Duration.ofSeconds(30), s.timeouts().betweenChunks());
        assertEquals(Duration.ofSeconds(60), s.timeouts().total());
        assertTrue(s.model("m1").capabilities().streaming());
        assertNull(s.model("nope"));
    }

    @Test
    void keyRequiredByKindDisablesWithoutKey() {
        ProviderSettings s = resolve(provider("openai"), n -> null).get(0);
        assertFalse(s.enabled());
        assertTrue(s.disabledReason().contains("AIGW_PROVIDERS_OPENAI_API_KEY"));
    }

    @Test
    void keyFromEnvironmentEnables() {
        ProviderSettings s = resolve(provider("openai"),
                n -> n.equals("AIGW_PROVIDERS_OPENAI_API_KEY") ? "sk-from-env" : null).get(0);
        assertTrue(s.enabled());
        assertEquals("sk-from-env", s.apiKey());
        assertFalse(s.toString().contains("sk-from-env"), "toString never prints the key");
    }

    @Test
    void configuredKeyWinsAndDisabledFlagHonoured() {
        ProviderSettings s = resolve(provider("openai", "api-key", "sk-conf", "enabled", "false"), n -> "sk-env").get(0);
        assertEquals("sk-conf", s.apiKey());
        assertFalse(s.enabled());
        assertEquals("disabled by configuration", s.disabledReason());
    }

    @Test
    void invalidIdFailsClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> resolve(provider("my-provider", "requires-api-key", "false"), n -> null));
        assertTrue(e.getMessage().contains("my-provider") && e.getMessage().contains("[a-z][a-z0-9]*"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> resolve(provider("1abc"), n -> null));
    }

    @Test
    void unknownKindAndBadUrlFail() {
        IllegalStateException kind = assertThrows(IllegalStateException.class,
                () -> resolve(provider("x", "kind", "gemini"), n -> null));
        assertTrue(kind.getMessage().contains("gemini"));
        IllegalStateException url = assertThrows(IllegalStateException.class,
                () -> resolve(provider("x", "base-url", "http://user:secret@host/v1"), n -> null));
        assertFalse(url.getMessage().contains("secret"));
        assertThrows(IllegalStateException.class, () -> resolve(provider("x", "base-url", "ftp://host"), n -> null));
    }

    @Test
    void duplicateModelFails() {
        Map<String, String> p = provider("x", "models[1].id", "m1");
        assertThrows(IllegalStateException.class, () -> resolve(p, n -> null));
    }
}
