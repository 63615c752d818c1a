package io.aigateway.adapter.provider.wire;

import io.aigateway.contracts.catalog.ModelInfo;
import io.vertx.core.buffer.Buffer;

import java.math.BigDecimal;
import java.util.List;

/**
 * The models a provider serves and what they cost: the configured catalog, or more (a router's policy suffixes,
 * a local server's discovered models).
 */
public interface ModelDirectory {

    List<ModelInfo> models();

    /** A model the provider serves, or null. */
    ModelInfo model(String modelId);

    /** Cost of a call (exact decimal). */
    BigDecimal cost(ModelInfo model, int promptTokens, int completionTokens);

    /** The URI listing the server's models, read after each healthy health check; null when nothing is discovered. */
    default String discoveryUri() {
        return null;
    }

    /** The body of a 2xx answer from {@link #discoveryUri()}. */
    default void discovered(Buffer body) {
    }
}
