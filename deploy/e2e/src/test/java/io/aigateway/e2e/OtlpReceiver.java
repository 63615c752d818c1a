package io.aigateway.e2e;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver for the end-to-end stack: {@code POST /v1/traces} with an
 * {@code ExportTraceServiceRequest} in protobuf (gzip or not), decoded with the OTLP protobuf classes and kept in
 * memory as {@link Received} spans while a test {@linkplain #record records}. Every service of the stack exports to it; a request in JSON (the other OTLP/HTTP
 * encoding) or anything else the classes cannot decode is answered 400 and counted in {@link #rejected()}.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One span as received: ids in lower-case hex, {@code service} from the resource's {@code service.name}. */
    public record Received(String service, String traceId, String spanId, String parentSpanId, String name,
                           Span.SpanKind kind, Map<String, String> attributes) {
    }

    private final HttpServer server;
    private final List<Received> spans = new CopyOnWriteArrayList<>();
    private final AtomicInteger exports = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private volatile boolean recording;
    private volatile String lastError;

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/v1/traces", exchange -> {
            int status;
            byte[] answer = new byte[0];
            try (InputStream raw = exchange.getRequestBody()) {
                String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
                InputStream in = "gzip".equalsIgnoreCase(encoding) ? new GZIPInputStream(raw) : raw;
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                if (!"POST".equals(exchange.getRequestMethod()) || type == null || !type.startsWith("application/x-protobuf")) {
                    rejected.incrementAndGet();
                    status = 400;
                } else {
                    accept(ExportTraceServiceRequest.parseFrom(in));
                    exports.incrementAndGet();
                    status = 200;
                    answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                }
            } catch (Exception | LinkageError e) {
                lastError = e.toString();
                rejected.incrementAndGet();
                status = 400;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    /**
     * Keeps the spans received from now on (a whole e2e run exports far more spans than any test looks at: they are
     * decoded and counted, but only kept while a test records).
     */
    public void record(boolean on) {
        recording = on;
        if (!on) {
            spans.clear();
        }
    }

    private void accept(ExportTraceServiceRequest request) {
        if (!recording) {
            return;
        }
        HexFormat hex = HexFormat.of();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            String service = attributes(rs.getResource().getAttributesList()).getOrDefault("service.name", "?");
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    spans.add(new Received(service, hex.formatHex(s.getTraceId().toByteArray()),
                            hex.formatHex(s.getSpanId().toByteArray()), hex.formatHex(s.getParentSpanId().toByteArray()),
                            s.getName(), s.getKind(), attributes(s.getAttributesList())));
                }
            }
        }
    }

    private static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (KeyValue kv : kvs) {
            m.put(kv.getKey(), text(kv.getValue()));
        }
        return m;
    }

    private static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            default -> v.toString();
        };
    }

    /** The base URL to give as {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Received> spans() {
        return List.copyOf(spans);
    }

    public List<Received> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** Export requests decoded so far. */
    public int exports() {
        return exports.get();
    }

    /** Why the last refused export was refused (null when none was). */
    public String lastError() {
        return lastError;
    }

    /** Export requests refused (not OTLP protobuf). */
    public int rejected() {
        return rejected.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
