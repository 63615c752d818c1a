package io.aigateway.adapter.provider.transport;

import io.vertx.core.buffer.Buffer;

/**
 * One chat request as the provider expects it: {@code POST uri} with a JSON {@code body}. The transport adds
 * the provider's fixed headers (credentials, version) and the request id.
 */
public record UpstreamRequest(String uri, Buffer body, String requestId) {
}
