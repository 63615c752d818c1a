package io.aigateway.adapter.provider;

import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.error.ProviderError;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.math.BigDecimal;
import java.util.List;

/**
 * One configured provider. Every kind (OpenAI, DeepSeek, Hugging Face, local servers, Anthropic, ...) is an
 * {@code http.HttpProviderAdapter} composed of the shared {@code transport.ProviderTransport} and the kind's
 * {@code wire.WireFormat} (TGI wraps it in a call-policy decorator). Output is
 * always OpenAI's format: JSON bodies and stream chunks are OpenAI's, errors are {@link ProviderError}s.
 * Every method is non-blocking and may be called on an event loop.
 */
public interface ProviderAdapter {

    ProviderSettings settings();

    default String id() {
        return settings().id();
    }

    /** The catalog of this provider (from configuration). */
    default List<ModelInfo> models() {
        return settings().models();
    }

    /** A model this provider serves (configured, or discovered from the server), or null. */
    default ModelInfo model(String modelId) {
        return settings().model(modelId);
    }

    /** One-shot chat: the OpenAI {@code chat.completion} body plus counted or estimated usage. Fails with {@link ProviderException}. */
    Uni<ChatResult> chat(ChatCall call);

    /**
     * Streaming chat: pushes OpenAI chunks into {@code sink} as they arrive (honouring its back-pressure),
     * then exactly one of {@link ChunkSink#complete} or {@link ChunkSink#error}.
     */
    StreamHandle chatStream(ChatCall call, ChunkSink sink);

    /** Cost of a call from the catalog's prices (exact decimal). */
    BigDecimal estimateCost(ModelInfo model, int promptTokens, int completionTokens);

    /** One health probe of the provider (never on the request path). */
    Uni<HealthResult> healthCheck();

    /** The last rate-limit snapshot the provider reported in its headers. */
    RateLimitSnapshot rateLimit();

    /** Maps a non-2xx upstream answer into the taxonomy. */
    ProviderError mapHttpError(int status, MultiMap headers, Buffer body, String model);

    /** Maps a transport failure (connection, timeout, parse) into the taxonomy. */
    ProviderError mapFailure(Throwable failure, String model);

    /** Releases the HTTP pool. */
    void close();
}
