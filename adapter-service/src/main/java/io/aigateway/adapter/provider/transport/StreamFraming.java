package io.aigateway.adapter.provider.transport;

import java.util.function.Supplier;

/** How an upstream cuts its stream into frames, and the {@code Accept} header asking for it. */
public enum StreamFraming {
    SSE("text/event-stream", SseFrameDecoder::new),
    NDJSON("application/x-ndjson", NdjsonFrameDecoder::new);

    private final String accept;
    private final Supplier<FrameDecoder> decoders;

    StreamFraming(String accept, Supplier<FrameDecoder> decoders) {
        this.accept = accept;
        this.decoders = decoders;
    }

    public String accept() {
        return accept;
    }

    /** A decoder for one stream (decoders keep state between reads). */
    public FrameDecoder newDecoder() {
        return decoders.get();
    }
}
