package io.aigateway.adapter.provider.transport;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/** Cuts an upstream stream's bytes into {@link StreamFrame}s; one instance per stream, fed on its event loop. */
public interface FrameDecoder {

    /** The frames completed by these bytes (a frame split across reads is kept until its end arrives). */
    List<StreamFrame> feed(Buffer bytes);

    /** The frames left when the stream ended (a last frame without its terminator). */
    List<StreamFrame> finish();
}
