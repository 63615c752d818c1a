package io.aigateway.adapter.provider;

import io.aigateway.contracts.error.ProviderError;
import io.aigateway.contracts.openai.Usage;

/** Where a streaming adapter pushes OpenAI chunks. Called on the stream's event loop only. */
public interface ChunkSink {

    /**
     * One OpenAI chunk (JSON text, usage chunk included), relayed as it arrived.
     *
     * @param hasContent whether it carries content (for time to first token)
     */
    void chunk(String json, boolean hasContent);

    /** True when the consumer cannot take more for now: pause the upstream and wait for {@link #drainHandler}. */
    boolean writeQueueFull();

    void drainHandler(Runnable resume);

    /** The stream ended normally; usage counted by the provider or estimated. */
    void complete(Usage usage, boolean usageEstimated);

    /** The stream failed (before or after chunks). */
    void error(ProviderError error);
}
