package io.aigateway.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The official OpenAI Node SDK (version pinned in deploy/e2e/sdk/package-lock.json) against the gateway with only
 * baseURL and apiKey changed: completion, streamed completion with include_usage, models list,
 * AuthenticationError for a bad key, NotFoundError for an unknown model (deploy/e2e/sdk/sdk-test.mjs).
 */
class OpenAiSdkIT {

    private static E2eStack stack;

    @BeforeAll
    static void up() {
        stack = E2eStack.get();
    }

    @Test
    void officialNodeSdkWorksAgainstTheGateway() throws Exception {
        Path sdk = stack.root.resolve("deploy/e2e/sdk");
        if (!Files.isDirectory(sdk.resolve("node_modules/openai"))) {
            run(sdk, List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        String out = run(sdk, List.of("node", "sdk-test.mjs"), 120);
        assertTrue(out.contains("\"ok\":true"), out);
    }

    /**
     * The same SDK run through each other wire format: DeepSeek-style, Ollama native, Anthropic Messages, TGI
     * and Gemini upstreams (fake provider, test ports), pinned by {@code <provider>/fake-chat}.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ds", "oll", "anth", "tgiu", "gem"})
    void officialNodeSdkWorksThroughEveryWireFormat(String provider) throws Exception {
        Path sdk = stack.root.resolve("deploy/e2e/sdk");
        if (!Files.isDirectory(sdk.resolve("node_modules/openai"))) {
            run(sdk, List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        String out = run(sdk, List.of("node", "sdk-test.mjs"), 120, provider + "/fake-chat");
        assertTrue(out.contains("\"ok\":true"), out);
    }

    private String run(Path dir, List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        return run(dir, cmd, timeoutSeconds, null);
    }

    private String run(Path dir, List<String> cmd, int timeoutSeconds, String model) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("AIGW_BASE_URL", stack.edgeUrl() + "/v1");
        pb.environment().put("AIGW_API_KEY", stack.userKey);
        if (model != null) {
            pb.environment().put("AIGW_MODEL", model);
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), cmd + " timed out");
        String s = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), cmd + " failed:\n" + s);
        return s;
    }
}
