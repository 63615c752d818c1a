package io.aigateway.adapter.provider.http;

import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.openai.Usage;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CompletionUsageReaderTest {

    private final CompletionUsageReader reader = new CompletionUsageReader(Json.newMapper());

    private Usage usage(String body) throws IOException {
        return reader.usage(Buffer.buffer(body));
    }

    @Test
    void readsTopLevelUsageWhereverItIs() throws IOException {
        String choices = "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"{\\\"usage\\\":1}\","
                + "\"usage\":{\"prompt_tokens\":999}},\"finish_reason\":\"stop\"}]";
        assertEquals(new Usage(17, 23, 40), usage("{\"id\":\"x\"," + choices
                + ",\"usage\":{\"prompt_tokens\":17,\"completion_tokens\":23,\"total_tokens\":40,\"prompt_tokens_details\":{\"cached_tokens\":3}}}"));
        assertEquals(new Usage(17, 23, 40), usage("{\"usage\":{\"prompt_tokens\":17,\"completion_tokens\":23,\"total_tokens\":40}," + choices + "}"));
        assertEquals(new Usage(2, 3, 5), usage("  \n{\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3}}"), "total defaults to the sum");
    }

    @Test
    void noUsageIsNull() throws IOException {
        assertNull(usage("{\"id\":\"x\",\"choices\":[]}"));
        assertNull(usage("{\"id\":\"x\",\"usage\":null}"));
        assertNull(usage("{\"choices\":[{\"message\":{\"usage\":{\"prompt_tokens\":1}}}]}"), "only the top level counts");
    }

    @Test
    void notAJsonObjectFails() {
        assertThrows(IOException.class, () -> usage(""));
        assertThrows(IOException.class, () -> usage("null"));
        assertThrows(IOException.class, () -> usage("[{\"usage\":{}}]"));
        assertThrows(IOException.class, () -> usage("<html>bad gateway</html>"));
        assertThrows(IOException.class, () -> usage("{\"id\":\"x\",\"choices\":[{"), "truncated");
        assertThrows(IOException.class, () -> usage("{\"id\":\"x\",\"choices\":[}"), "malformed after the usage");
    }
}
