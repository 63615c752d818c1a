package io.aigateway.e2e;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OtlpReceiverTest {

    private static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    @Test
    void decodesAnOtlpProtobufExportAndKeepsItsSpansOnlyWhileRecording() throws Exception {
        HexFormat hex = HexFormat.of();
        String trace = "0af7651916cd43dd8448eb211c80319c";
        ExportTraceServiceRequest export = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "gateway-edge")))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder()
                        .setTraceId(ByteString.copyFrom(hex.parseHex(trace)))
                        .setSpanId(ByteString.copyFrom(hex.parseHex("b7ad6b7169203331")))
                        .setName("POST /v1/chat/completions").setKind(Span.SpanKind.SPAN_KIND_SERVER)
                        .addAttributes(kv("aigw.request.id", "r-1"))))).build();
        HttpClient http = HttpClient.newHttpClient();
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            HttpRequest post = HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(export.toByteArray())).build();
            assertEquals(200, http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(List.of(), receiver.spans(), "nothing kept before a test records");

            receiver.record(true);
            assertEquals(200, http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode());
            List<OtlpReceiver.Received> spans = receiver.trace(trace);
            assertEquals(1, spans.size());
            assertEquals("gateway-edge", spans.get(0).service());
            assertEquals("b7ad6b7169203331", spans.get(0).spanId());
            assertEquals("", spans.get(0).parentSpanId());
            assertEquals("r-1", spans.get(0).attributes().get("aigw.request.id"));
            assertEquals(2, receiver.exports());

            HttpRequest json = HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            assertEquals(400, http.send(json, HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(1, receiver.rejected());
        }
    }
}
