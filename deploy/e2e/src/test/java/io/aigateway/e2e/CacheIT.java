package io.aigateway.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The response cache through the whole stack: a JSON answer is stored, then the official OpenAI Node SDK asks
 * the same question streamed and reads the replay (x-aigw-cache HIT, age, role/content/finish/usage chunks,
 * [DONE]) through the edge (deploy/e2e/sdk/cache-replay.mjs).
 */
class CacheIT {

    private static E2eStack stack;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void up() {
        stack = E2eStack.get();
    }

    @Test
    void nodeSdkReadsAStreamedReplayOfAJsonStoredAnswer() throws Exception {
        String prompt = "cache replay " + UUID.randomUUID();
        String body = "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
        Response miss = chat(body);
        assertEquals(200, miss.statusCode(), miss.asString());
        assertEquals("MISS", miss.getHeader("x-aigw-cache"), "x-aigw-cache relayed by the edge");
        String content = MAPPER.readTree(miss.asString()).at("/choices/0/message/content").asText();
        assertTrue(!content.isEmpty());
        // the store is asynchronous (after the answer): wait until the same JSON request hits
        Response hit = await("the same request hits").atMost(Duration.ofSeconds(15))
                .until(() -> chat(body), r -> "HIT".equals(r.getHeader("x-aigw-cache")));
        assertTrue(hit.getHeader("age").matches("\\d+"), "age relayed by the edge");
        assertEquals(miss.asString(), hit.asString());

        Path sdk = stack.root.resolve("deploy/e2e/sdk");
        if (!Files.isDirectory(sdk.resolve("node_modules/openai"))) {
            run(sdk, List.of("npm", "ci", "--no-audit", "--no-fund"), 300, prompt, content);
        }
        String out = run(sdk, List.of("node", "cache-replay.mjs"), 120, prompt, content);
        assertTrue(out.contains("\"ok\":true"), out);
        JsonNode report = MAPPER.readTree(out.substring(out.indexOf('{')));
        assertTrue(report.get("chunks").asInt() >= 4, out); // role, content, finish, usage
    }

    private static Response chat(String body) {
        return given().baseUri(stack.edgeUrl()).header("Authorization", "Bearer " + stack.userKey)
                .contentType(ContentType.JSON).body(body).post("/v1/chat/completions");
    }

    private String run(Path dir, List<String> cmd, int timeoutSeconds, String prompt, String expected)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("AIGW_BASE_URL", stack.edgeUrl() + "/v1");
        pb.environment().put("AIGW_API_KEY", stack.userKey);
        pb.environment().put("AIGW_MODEL", "chat-default");
        pb.environment().put("AIGW_PROMPT", prompt);
        pb.environment().put("AIGW_EXPECTED", expected);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), cmd + " timed out");
        String s = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), cmd + " failed:\n" + s);
        return s;
    }
}
