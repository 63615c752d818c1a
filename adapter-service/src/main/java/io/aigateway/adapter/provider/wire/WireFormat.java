package io.aigateway.adapter.provider.wire;

import io.aigateway.adapter.provider.ChatCall;
import io.aigateway.adapter.provider.UnsupportedRequestException;
import io.aigateway.adapter.provider.transport.StreamFraming;
import io.aigateway.adapter.provider.transport.UpstreamRequest;
import io.aigateway.adapter.provider.transport.UpstreamResponse;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.util.Map;

/**
 * What one provider kind's API looks like on the wire, and only that: how an OpenAI-format request becomes the
 * provider's request, how its answers, stream frames and errors become OpenAI's, where its health is probed.
 * The HTTP side (pool, deadlines, framing, rate-limit headers) is the transport's; the call's life cycle
 * (usage, estimation, cost) is the adapter's. One instance per provider, shared by its calls: stateless, or
 * state per call in what it creates ({@link #streamTranslator}).
 */
public interface WireFormat {

    /** Headers every upstream request carries (credentials, API version); fixed for the provider. */
    Map<String, String> fixedHeaders();

    /**
     * The upstream request of a call.
     *
     * @throws UnsupportedRequestException when the provider cannot carry the request (our 400, never sent)
     * @throws IOException                 when the request cannot be written
     */
    UpstreamRequest request(ChatCall call, boolean stream) throws IOException;

    /** How the provider frames a stream (SSE or NDJSON). */
    StreamFraming framing();

    /**
     * A 2xx one-shot answer as an OpenAI {@code chat.completion} body; OpenAI-format kinds relay the bytes.
     *
     * @throws IOException when the answer is not what the provider should send (a malformed answer)
     * @throws io.aigateway.adapter.provider.ProviderException when the answer is a refusal to be reported as such
     *         (e.g. a prompt the provider blocked: CONTENT_FILTERED)
     */
    Buffer completion(ChatCall call, UpstreamResponse response) throws IOException;

    /** The translator of one stream's frames into OpenAI chunks (new per stream: it may keep state). */
    StreamTranslator streamTranslator(ChatCall call);

    /** Maps the provider's error answers, error frames and transport failures into the taxonomy. */
    ProviderErrorMapper errors();

    /** The URI the background health check probes. */
    String healthUri();

    /** How a health probe's answer reads; default: healthy on 2xx. */
    default HealthReading healthReading() {
        return HealthReading.STANDARD;
    }
}
