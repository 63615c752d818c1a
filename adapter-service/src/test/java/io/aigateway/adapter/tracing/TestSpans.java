package io.aigateway.adapter.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;

/** Every ended span of the test application, in memory (a span processor bean: Quarkus adds it to the SDK). */
@ApplicationScoped
public class TestSpans {

    public static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();

    @Produces
    @Singleton
    SpanProcessor inMemory() {
        return SimpleSpanProcessor.create(EXPORTER);
    }

    public static List<SpanData> ofTrace(String traceId) {
        return EXPORTER.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }
}
