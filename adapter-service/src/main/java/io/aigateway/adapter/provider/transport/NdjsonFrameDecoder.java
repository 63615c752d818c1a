package io.aigateway.adapter.provider.transport;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Newline-delimited JSON: one frame per line, trimmed. Lines are cut on the byte {@code '\n'} before decoding,
 * so a multi-byte character split across reads stays whole.
 */
public final class NdjsonFrameDecoder implements FrameDecoder {

    private Buffer pending = Buffer.buffer();

    @Override
    public List<StreamFrame> feed(Buffer bytes) {
        pending.appendBuffer(bytes);
        List<StreamFrame> frames = new ArrayList<>();
        int start = 0;
        int n = pending.length();
        for (int i = 0; i < n; i++) {
            if (pending.getByte(i) == '\n') {
                frames.add(frame(pending.getString(start, i, StandardCharsets.UTF_8.name())));
                start = i + 1;
            }
        }
        if (start > 0) {
            pending = start == n ? Buffer.buffer() : pending.getBuffer(start, n);
        }
        return frames;
    }

    @Override
    public List<StreamFrame> finish() {
        if (pending.length() == 0) {
            return List.of();
        }
        String rest = pending.toString(StandardCharsets.UTF_8);
        pending = Buffer.buffer();
        return List.of(frame(rest));
    }

    private static StreamFrame frame(String line) {
        return new StreamFrame(null, line.trim());
    }
}
