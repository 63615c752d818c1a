package io.aigateway.adapter.provider.transport;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecodersTest {

    private static List<String> data(List<StreamFrame> frames) {
        List<String> out = new ArrayList<>();
        frames.forEach(f -> out.add(f.data()));
        return out;
    }

    @Test
    void ndjsonCutsLinesAcrossReadsAndTrimsThem() {
        FrameDecoder d = StreamFraming.NDJSON.newDecoder();
        assertTrue(d.feed(Buffer.buffer("{\"a\":")).isEmpty(), "half a line is kept");
        assertEquals(List.of("{\"a\":1}", "", "{\"b\":2}"), data(d.feed(Buffer.buffer("1}\r\n\n  {\"b\":2}  \n{\"c\""))));
        assertEquals(List.of("{\"c\":3}"), data(d.feed(Buffer.buffer(":3}\n"))));
        assertTrue(d.finish().isEmpty(), "nothing left");
    }

    @Test
    void ndjsonKeepsAMultiByteCharacterSplitAcrossReads() {
        byte[] line = "{\"t\":\"h\u00e9llo \u20ac\"}\n".getBytes(StandardCharsets.UTF_8);
        int euro = new String(line, StandardCharsets.UTF_8).indexOf('\u20ac');
        int cut = "{\"t\":\"h\u00e9llo ".getBytes(StandardCharsets.UTF_8).length + 1; // inside the 3-byte euro sign
        assertTrue(euro > 0);
        FrameDecoder d = StreamFraming.NDJSON.newDecoder();
        assertTrue(d.feed(Buffer.buffer(java.util.Arrays.copyOfRange(line, 0, cut))).isEmpty());
        assertEquals(List.of("{\"t\":\"h\u00e9llo \u20ac\"}"),
                data(d.feed(Buffer.buffer(java.util.Arrays.copyOfRange(line, cut, line.length)))));
    }

    @Test
    void ndjsonFinishGivesTheLastLineWithoutNewline() {
        FrameDecoder d = StreamFraming.NDJSON.newDecoder();
        assertTrue(d.feed(Buffer.buffer(" {\"done\":true} ")).isEmpty());
        assertEquals(List.of("{\"done\":true}"), data(d.finish()));
        assertTrue(d.finish().isEmpty());
    }

    @Test
    void sseGivesEventsWithNamesAndDropsComments() {
        FrameDecoder d = StreamFraming.SSE.newDecoder();
        List<StreamFrame> frames = new ArrayList<>(d.feed(Buffer.buffer(": keep-alive\n\ndata: {\"x\":1}\n\nevent: error\ndata: {\"e\"")));
        frames.addAll(d.feed(Buffer.buffer(":1}\n\n")));
        assertEquals(List.of(new StreamFrame(null, "{\"x\":1}"), new StreamFrame("error", "{\"e\":1}")), frames);
        assertTrue(d.finish().isEmpty());
    }

    @Test
    void framingsAskForTheirMediaType() {
        assertEquals("text/event-stream", StreamFraming.SSE.accept());
        assertEquals("application/x-ndjson", StreamFraming.NDJSON.accept());
    }
}
