package io.aigateway.adapter.provider.transport;

/** Control of one running upstream stream (see {@link ProviderTransport#stream}). */
public interface UpstreamStream {

    /**
     * The last frame carried data: the first-byte deadline is met, and the between-chunks deadline counts from
     * now. Frames without data (padding, keep-alives) do not call this, so they cannot stretch a deadline.
     */
    void dataReceived();

    /** Stops the call quietly: timers off, the request reset when it has not ended; no listener calls after this. */
    void abort();
}
