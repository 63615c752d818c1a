package io.aigateway.adapter.provider.transport;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** A whole upstream answer (any status). */
public record UpstreamResponse(int status, MultiMap headers, Buffer body) {

    public boolean ok() {
        return status >= 200 && status <= 299;
    }
}
