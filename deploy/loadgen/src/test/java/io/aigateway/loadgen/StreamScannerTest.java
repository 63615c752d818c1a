package io.aigateway.loadgen;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static io.aigateway.loadgen.StreamScanner.Outcome.CLEAN;
import static io.aigateway.loadgen.StreamScanner.Outcome.CLEAN_NO_CONTENT;
import static io.aigateway.loadgen.StreamScanner.Outcome.ERROR_AFTER_FIRST_TOKEN;
import static io.aigateway.loadgen.StreamScanner.Outcome.FAILED_BEFORE_TOKEN;
import static io.aigateway.loadgen.StreamScanner.Outcome.HUNG;
import static io.aigateway.loadgen.StreamScanner.Outcome.SILENT_END;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamScannerTest {

    static final String ROLE = "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n";
    static final String WORD = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n\n";
    static final String ERROR = "data: {\"error\":{\"message\":\"provider failed\",\"type\":\"server_error\"}}\n\n";
    static final String DONE = "data: [DONE]\n\n";

    private static StreamScanner scan(String... parts) {
        StreamScanner s = new StreamScanner();
        for (String p : parts) {
            s.feed(Buffer.buffer(p));
        }
        return s;
    }

    @Test
    void classifiesEveryEnding() {
        assertEquals(CLEAN, scan(ROLE, WORD, DONE).outcome(false));
        assertEquals(CLEAN_NO_CONTENT, scan(ROLE, DONE).outcome(false));
        assertEquals(ERROR_AFTER_FIRST_TOKEN, scan(ROLE, WORD, ERROR).outcome(false));
        assertEquals(FAILED_BEFORE_TOKEN, scan(ROLE, ERROR).outcome(false));
        assertEquals(SILENT_END, scan(ROLE, WORD).outcome(false));
        assertEquals(HUNG, scan(ROLE, WORD).outcome(true));
        assertEquals(ERROR_AFTER_FIRST_TOKEN, scan(ROLE, WORD, ERROR).outcome(true), "the error chunk came first");
        assertEquals(ERROR_AFTER_FIRST_TOKEN, scan(WORD, ERROR, DONE).outcome(false), "an error is never undone");
    }

    @Test
    void linesSplitAcrossBuffersCrLfCommentsAndNamedEvents() {
        String all = ": keep-alive\r\n\r\n" + ROLE.replace("\n", "\r\n") + "event: x\n" + WORD + DONE;
        StreamScanner s = new StreamScanner();
        boolean first = false;
        for (int i = 0; i < all.length(); i += 7) {
            first |= s.feed(Buffer.buffer(all.substring(i, Math.min(all.length(), i + 7))));
        }
        assertTrue(first, "the first content token was reported");
        assertEquals(CLEAN, s.outcome(false));
        assertEquals(CLEAN, scan(ROLE, WORD, "data: [DONE]").outcome(false), "last line without a newline");
    }

    @Test
    void reasoningAndToolCallsCountAsContent() {
        assertTrue(scan("data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"hm\"}}]}\n").sawContent());
        assertTrue(scan("data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0}]}}]}\n").sawContent());
        assertFalse(scan("data: {\"choices\":[]}\n", "data: not json\n").sawContent());
    }

    @Test
    void jsonContentCheck() {
        assertTrue(StreamScanner.jsonHasContent(Buffer.buffer("{\"choices\":[{\"message\":{\"content\":\"hi\"}}]}")));
        assertFalse(StreamScanner.jsonHasContent(Buffer.buffer("{\"choices\":[{\"message\":{\"content\":\"\"}}]}")));
        assertFalse(StreamScanner.jsonHasContent(Buffer.buffer("{\"choices\":[{\"message\":{\"content\":null}}]}")));
        assertFalse(StreamScanner.jsonHasContent(Buffer.buffer("{\"choices\":[]}")));
        assertFalse(StreamScanner.jsonHasContent(Buffer.buffer("{\"error\":{\"message\":\"x\"}}")));
        assertFalse(StreamScanner.jsonHasContent(Buffer.buffer("<html>")));
    }
}
