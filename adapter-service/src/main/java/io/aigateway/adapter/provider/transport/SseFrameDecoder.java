package io.aigateway.adapter.provider.transport;

import io.aigateway.contracts.internal.SseParser;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/** Server-sent events: one frame per event; comments (keep-alives) produce none. */
public final class SseFrameDecoder implements FrameDecoder {

    private final SseParser parser = new SseParser();

    @Override
    public List<StreamFrame> feed(Buffer bytes) {
        return frames(parser.feed(bytes.getBytes()));
    }

    @Override
    public List<StreamFrame> finish() {
        return frames(parser.finish());
    }

    private static List<StreamFrame> frames(List<SseParser.Event> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<StreamFrame> frames = new ArrayList<>(events.size());
        for (SseParser.Event e : events) {
            frames.add(new StreamFrame(e.event(), e.data()));
        }
        return frames;
    }
}
