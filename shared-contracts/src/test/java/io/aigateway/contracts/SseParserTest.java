package io.aigateway.contracts;

import io.aigateway.contracts.internal.SseParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SseParserTest {

    private static final String STREAM = ": keep-alive\n\ndata: {\"a\":\"é\"}\n\nevent: aigw-usage\ndata: {\"p\":1}\n\r\n"
            + "data: line1\ndata: line2\n\ndata: [DONE]\n\n";

    @Test
    void parsesEventsWhateverTheSplit() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int split = 1; split < 7; split++) {
            SseParser p = new SseParser();
            List<SseParser.Event> events = new ArrayList<>();
            for (int i = 0; i < bytes.length; i += split) {
                events.addAll(p.feed(bytes, i, Math.min(split, bytes.length - i)));
            }
            assertEquals(4, events.size(), "split " + split);
            assertEquals("{\"a\":\"é\"}", events.get(0).data());
            assertNull(events.get(0).event());
            assertTrue(events.get(1).named("aigw-usage"));
            assertEquals("line1\nline2", events.get(2).data());
            assertEquals("[DONE]", events.get(3).data());
            assertEquals(1, p.comments());
        }
    }

    @Test
    void crOnlyAndCrLfLineEndsAreOneLineEndEach() {
        SseParser p = new SseParser();
        List<SseParser.Event> events = new ArrayList<>(p.feed("data: a\r\rdata: b\r".getBytes(StandardCharsets.UTF_8)));
        events.addAll(p.feed("\n\r\ndata:c\n\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("a", "b", "c"), events.stream().map(SseParser.Event::data).toList());
    }

    @Test
    void fieldsWithoutValueUnknownFieldsAndLongLines() {
        String big = "x".repeat(5000) + "ü";
        SseParser p = new SseParser();
        List<SseParser.Event> events = p.feed(("id: 7\nretry: 10\ndata\ndata: " + big + "\nfoo: bar\n\n"
                + "event: e1\ndata: y\n\ndata: z\n\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(3, events.size());
        assertEquals("\n" + big, events.get(0).data(), "a bare 'data' line is an empty data line");
        assertNull(events.get(0).event());
        assertEquals("e1", events.get(1).event());
        assertNull(events.get(2).event(), "the event name is reset after each dispatch");
        assertEquals(0, p.comments());
    }

    @Test
    void aBlankLineWithoutDataDispatchesNothingAndDropsTheName() {
        SseParser p = new SseParser();
        assertTrue(p.feed("event: lonely\n\n:c1\n:c2\n\n".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertEquals(2, p.comments());
        assertNull(p.feed("data: d\n\n".getBytes(StandardCharsets.UTF_8)).get(0).event());
    }

    @Test
    void finishFlushesAnUnterminatedEvent() {
        SseParser p = new SseParser();
        assertTrue(p.feed("data: x".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertEquals("x", p.finish().get(0).data());
    }

    @Test
    void formatRoundTrips() {
        String s = SseParser.format("aigw-error", "{\"m\":1}");
        assertEquals("event: aigw-error\ndata: {\"m\":1}\n\n", s);
        List<SseParser.Event> e = new SseParser().feed(s.getBytes(StandardCharsets.UTF_8));
        assertEquals("aigw-error", e.get(0).event());
    }
}
