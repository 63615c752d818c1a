package io.aigateway.adapter.provider.transport;

import io.vertx.core.buffer.Buffer;

/** Outcome of one background GET: the status and body, or the transport failure ({@code status} 0). */
public record ProbeResult(int status, Buffer body, Throwable failure, long latencyMs) {

    public boolean ok() {
        return failure == null && status >= 200 && status <= 299;
    }
}
