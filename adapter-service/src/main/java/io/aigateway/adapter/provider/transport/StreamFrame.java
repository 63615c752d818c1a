package io.aigateway.adapter.provider.transport;

/**
 * One unit of an upstream stream: an SSE event ({@code event} name, possibly null, and its {@code data}) or one
 * NDJSON line ({@code event} null, the line as {@code data}).
 */
public record StreamFrame(String event, String data) {
}
