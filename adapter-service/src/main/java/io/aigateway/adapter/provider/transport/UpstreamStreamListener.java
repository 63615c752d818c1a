package io.aigateway.adapter.provider.transport;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Receives one upstream stream from {@link ProviderTransport#stream}. Called on the stream's event loop only,
 * and never again once the stream is {@linkplain UpstreamStream#abort() aborted} or has ended or failed.
 */
public interface UpstreamStreamListener {

    /** One frame of a 2xx answer. Call {@link UpstreamStream#dataReceived()} when it carried data. */
    void onFrame(StreamFrame frame);

    /** The 2xx answer ended normally, after its last frame. */
    void onEnd();

    /** The provider answered non-2xx; {@code body} is null when it could not be read. */
    void onHttpError(int status, MultiMap headers, Buffer body);

    /**
     * The call failed: a connection or read failure, or an {@link UpstreamTimeoutException} (no data within the
     * first-byte deadline, or too long between data).
     */
    void onFailure(Throwable failure);

    /** True when the consumer cannot take more for now: the transport pauses reading until {@link #drainHandler}. */
    boolean writeQueueFull();

    void drainHandler(Runnable resume);
}
