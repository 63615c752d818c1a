package io.aigateway.adapter.conformance;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** A WireMock server on a dynamic port standing in for the provider; the {@code fake} provider points at it. */
public class WireMockProviderResource implements QuarkusTestResourceLifecycleManager {

    /** The key the test configures for {@code fake}: it must reach the provider and never leak anywhere else. */
    public static final String FAKE_KEY = "sk-test-fake-key-1234567890";
    /** The key of the DeepSeek-kind test provider {@code dstest}. */
    public static final String DEEPSEEK_KEY = "sk-test-deepseek-key-0987654321";

    /** The key of the Anthropic-kind test provider {@code anthtest}. */
    public static final String ANTHROPIC_KEY = "sk-ant-test-key-5555555555";

    /** The key of the Gemini-kind test provider {@code gemtest} (sent as {@code x-goog-api-key}). */
    public static final String GEMINI_KEY = "AIzaSy-test-gemini-key-7777777777";

    /** Keys of the Hugging Face test providers. */
    public static final String HF_KEY = "hf_test-router-key";
    public static final String TGI_KEY = "hf_test-tgi-key";

    /** Test-only providers of the other kinds, each on its own path of the same WireMock server. */
    public static final List<String> TEST_PROVIDERS = List.of("dstest", "vllmtest", "vllmb", "llamatest", "ollamatest", "anthtest", "hftest", "tgitest", "tgiwait", "tgifree", "gemtest");

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectWireMock {
    }

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().asynchronousResponseEnabled(true));
        server.start();
        String base = "http://localhost:" + server.port();
        Map<String, String> config = new HashMap<>();
        config.put("aigw.providers.fake.base-url", base + "/fake/v1");
        config.put("aigw.providers.fake.api-key", FAKE_KEY);
        // kind deepseek (the default `deepseek` provider stays without key, hence disabled)
        provider(config, "dstest", "deepseek", base + "/deepseek/v1", "deepseek-chat", "0.0014", "0.0028");
        config.put("aigw.providers.dstest.api-key", DEEPSEEK_KEY);
        // two instances of kind vllm, one of llamacpp; no keys
        provider(config, "vllmtest", "vllm", base + "/vllm/v1", "meta-llama/Llama-3.1-8B-Instruct", "0", "0");
        provider(config, "vllmb", "vllm", base + "/vllmb/v1", "Qwen/Qwen2.5-7B-Instruct", "0", "0");
        provider(config, "llamatest", "llamacpp", base + "/llama/v1", "qwen2.5-7b-instruct-q4_k_m", "0", "0");
        provider(config, "ollamatest", "ollama", base + "/ollama", "llama3.2:latest", "0", "0");
        provider(config, "anthtest", "anthropic", base + "/anthropic/v1", "claude-3-5-haiku-20241022", "0.0008", "0.004");
        config.put("aigw.providers.anthtest.api-key", ANTHROPIC_KEY);
        provider(config, "hftest", "hf-router", base + "/hf/v1", "meta-llama/Llama-3.1-8B-Instruct", "0.0002", "0.0006");
        config.put("aigw.providers.hftest.api-key", HF_KEY);
        provider(config, "tgitest", "tgi", base + "/tgi", "mistralai/Mistral-7B-Instruct-v0.3", "0.0001", "0.0002");
        config.put("aigw.providers.tgitest.api-key", TGI_KEY);
        config.put("aigw.providers.tgitest.models[1].id", "meta-llama/Meta-Llama-3-8B-Instruct");
        config.put("aigw.providers.tgitest.models[1].chat-template", "llama3");
        provider(config, "tgiwait", "tgi", base + "/tgiwait", "HuggingFaceH4/zephyr-7b-beta", "0", "0");
        config.put("aigw.providers.tgiwait.tgi.on-loading", "wait");
        config.put("aigw.providers.tgiwait.tgi.chat-template", "chatml");
        provider(config, "tgifree", "tgi", base + "/tgifree", "mistralai/Mistral-7B-Instruct-v0.3", "0.0001", "0.0002");
        config.put("aigw.providers.tgifree.tgi.free-tier-requests-per-minute", "2");
        provider(config, "gemtest", "gemini", base + "/gemini/v1beta", "gemini-2.0-flash", "0.0001", "0.0004");
        config.put("aigw.providers.gemtest.api-key", GEMINI_KEY);
        return config;
    }

    private static void provider(Map<String, String> config, String id, String kind, String baseUrl, String model,
                                 String promptPrice, String completionPrice) {
        String p = "aigw.providers." + id + ".";
        config.put(p + "kind", kind);
        config.put(p + "base-url", baseUrl);
        config.put(p + "models[0].id", model);
        config.put(p + "models[0].context-window", "8192");
        config.put(p + "models[0].prompt-price-per-1k", promptPrice);
        config.put(p + "models[0].completion-price-per-1k", completionPrice);
        config.put(p + "models[0].tools", "true");
        config.put(p + "models[0].json", "true");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
