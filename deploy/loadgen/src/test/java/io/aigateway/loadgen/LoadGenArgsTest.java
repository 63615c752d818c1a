package io.aigateway.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadGenArgsTest {

    @Test
    void defaults() throws Exception {
        LoadGenArgs a = LoadGenArgs.parse("--url", "http://127.0.0.1:8080/v1/models");
        assertEquals("GET", a.method());
        assertEquals(100, a.concurrency());
        assertEquals(100, a.connections());
        assertEquals(20_000, a.durationMs());
        assertEquals(0, a.warmupMs());
        assertEquals(30_000, a.timeoutMs());
        assertEquals(1, a.eventLoops());
        assertFalse(a.json());
        assertNull(a.body());
        assertTrue(a.headers().isEmpty());
    }

    @Test
    void fullCommandLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("body.json");
        Files.writeString(file, "{\"model\":\"fake/fake-chat\"}");
        LoadGenArgs a = LoadGenArgs.parse("--url", "http://h:1/v1/chat/completions",
                "--header", "Authorization: Bearer sk-1:2", "-H", "X-Aigw-Policy:cost",
                "--body-file", file.toString(), "--concurrency", "7", "--duration", "1.5s", "--warmup=500ms",
                "--timeout", "2m", "--event-loops", "2", "--connections", "3", "--json");
        assertEquals("POST", a.method());
        assertEquals(Map.entry("Authorization", "Bearer sk-1:2"), a.headers().get(0));
        assertEquals(Map.entry("X-Aigw-Policy", "cost"), a.headers().get(1));
        assertEquals(Map.entry("Content-Type", "application/json"), a.headers().get(2));
        assertArrayEquals("{\"model\":\"fake/fake-chat\"}".getBytes(StandardCharsets.UTF_8), a.body());
        assertEquals(7, a.concurrency());
        assertEquals(3, a.connections());
        assertEquals(1500, a.durationMs());
        assertEquals(500, a.warmupMs());
        assertEquals(120_000, a.timeoutMs());
        assertEquals(2, a.eventLoops());
        assertTrue(a.json());
    }

    @Test
    void explicitMethodAndContentTypeWin() throws Exception {
        LoadGenArgs a = LoadGenArgs.parse("--url", "https://h/x", "--method", "put", "--body", "a=b",
                "--header", "content-type: text/plain");
        assertEquals("PUT", a.method());
        assertEquals(1, a.headers().size());
        assertEquals("text/plain", a.headers().get(0).getValue());
    }

    @Test
    void durations() throws Exception {
        assertEquals(20_000, LoadGenArgs.durationMs("d", "20s"));
        assertEquals(20_000, LoadGenArgs.durationMs("d", "20"));
        assertEquals(250, LoadGenArgs.durationMs("d", "250ms"));
        assertEquals(120_000, LoadGenArgs.durationMs("d", "2m"));
        assertEquals(3_600_000, LoadGenArgs.durationMs("d", "1h"));
        assertThrows(LoadGenArgs.UsageException.class, () -> LoadGenArgs.durationMs("d", "soon"));
        assertThrows(LoadGenArgs.UsageException.class, () -> LoadGenArgs.durationMs("d", "-1s"));
    }

    @Test
    void rejectsBadCommandLines() {
        assertThrows(LoadGenArgs.UsageException.class, () -> LoadGenArgs.parse());
        assertThrows(LoadGenArgs.UsageException.class, () -> LoadGenArgs.parse("--url", "localhost:8080"));
        assertThrows(LoadGenArgs.UsageException.class, () -> LoadGenArgs.parse("--url", "ftp://h/x"));
        assertThrows(LoadGenArgs.UsageException.class, () -> LoadGenArgs.parse("--url", "http://h/", "--concurrency", "0"));
        assertThrows(LoadGenArgs.UsageException.class, () -> LoadGenArgs.parse("--url", "http://h/", "--header", "nocolon"));
        assertThrows(LoadGenArgs.UsageException.class, () -> LoadGenArgs.parse("--url", "http://h/", "--body", "a",
                "--body-file", "f"));
        assertThrows(LoadGenArgs.UsageException.class, () -> LoadGenArgs.parse("--url", "http://h/", "--body-file",
                "/nonexistent/file.json"));
        assertThrows(LoadGenArgs.UsageException.class, () -> LoadGenArgs.parse("--url", "http://h/", "--bogus", "1"));
        assertThrows(LoadGenArgs.UsageException.class, () -> LoadGenArgs.parse("--url"));
        assertThrows(LoadGenArgs.UsageException.class, () -> LoadGenArgs.parse("--url", "http://h/", "--duration", "0s"));
    }
}
