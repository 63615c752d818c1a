package io.aigateway.usage.records.listener;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.quota.alerts.QuotaAlerts;
import io.aigateway.usage.records.service.UsageEventParser;
import io.aigateway.usage.records.service.UsageEventSanitizer;
import io.aigateway.usage.records.service.UsageIngestService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Consumes {@code ai.usage.v1} (group {@code usage-service}) in batches (one Kafka poll, at most
 * {@code max.poll.records}). Each value is read as a String and parsed once here; the parsed events of a batch are
 * stored with one statement. A record that is not a valid UsageEvent, or that PostgreSQL rejects permanently, is
 * nacked on its own, which the channel's dead-letter-queue failure strategy sends to {@code ai.usage.v1.dlq}; the
 * rest of its batch is stored and the channel keeps going. The batch is acked (its offsets become committable)
 * only once every record is stored or dead-lettered. Text PostgreSQL cannot store (NUL, unpaired surrogates) and
 * over-long values are made storable first ({@link UsageEventSanitizer}), so client-chosen characters never send
 * a record to the DLQ. Once a batch is stored, quota budget alerts for its users and keys are checked in the
 * background ({@link QuotaAlerts}).
 */
@ApplicationScoped
public class UsageEventListener {

    /** Channel name (configured under {@code mp.messaging.incoming.usage-in.*}). */
    public static final String CHANNEL = "usage-in";

    private static final Logger LOG = Logger.getLogger(UsageEventListener.class);

    private final UsageEventParser parser;
    private final UsageIngestService ingest;
    private final UsageEventSanitizer sanitizer;
    private final QuotaAlerts alerts;
    private final Counter consumed;
    private final Counter sanitized;
    private final Counter deadLettered;
    private final DistributionSummary batchSize;

    public UsageEventListener(UsageEventParser parser, UsageIngestService ingest, UsageEventSanitizer sanitizer,
                              QuotaAlerts alerts, MeterRegistry registry) {
        this.parser = parser;
        this.alerts = alerts;
        this.ingest = ingest;
        this.sanitizer = sanitizer;
        this.sanitized = Counter.builder("aigw.usage.events.sanitized")
                .description("Events whose text had to be made storable (NUL, unpaired surrogates, over-long)")
                .register(registry);
        this.consumed = Counter.builder("aigw.usage.events.consumed")
                .description("Records read from ai.usage.v1").register(registry);
        this.deadLettered = Counter.builder("aigw.usage.events.dead.lettered")
                .description("Records sent to ai.usage.v1.dlq").register(registry);
        this.batchSize = DistributionSummary.builder("aigw.usage.batch.size")
                .description("Records per consumed batch (one Kafka poll)").baseUnit("records")
                .register(registry);
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        List<KafkaRecord<String, String>> records = batch.getRecords();
        int size = records.size();
        consumed.increment(size);
        batchSize.record(size);
        List<UsageEvent> events = new ArrayList<>(size);
        List<KafkaRecord<String, String>> eventRecords = new ArrayList<>(size);
        List<DeadLetter> deadLetters = new ArrayList<>(0);
        for (KafkaRecord<String, String> record : records) {
            UsageEvent event;
            UsageEvent storable;
            try {
                event = parser.parse(record.getPayload());
                // inside the try: a record the sanitizer cannot handle goes to the DLQ alone, not with its batch
                storable = sanitizer.sanitize(event);
            } catch (RuntimeException e) {
                deadLetters.add(new DeadLetter(record, e));
                continue;
            }
            if (storable != event) {
                sanitized.increment();
            }
            events.add(storable);
            eventRecords.add(record);
        }
        return ingest.storeAll(events)
                .onItem().transformToUni(rejections -> {
                    // detached: budget alerts never fail or delay the batch's ack
                    alerts.afterBatch(events);
                    for (UsageIngestService.Rejection r : rejections) {
                        deadLetters.add(new DeadLetter(eventRecords.get(r.index()), r.reason()));
                    }
                    return deadLetter(deadLetters);
                })
                // every record is stored or in the DLQ: the batch's offsets may be committed
                .onItem().transformToUni(v -> Uni.createFrom().completionStage(batch.ack()));
    }

    /** Nacks each record on its own (the failure strategy writes it to the DLQ and acks it), one after another. */
    private Uni<Void> deadLetter(List<DeadLetter> deadLetters) {
        if (deadLetters.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(deadLetters)
                .onItem().transformToUniAndConcatenate(d -> {
                    deadLettered.increment();
                    LOG.warnf("Usage record %s rejected, sent to the DLQ: %s", where(d.record()),
                            LogSafe.escape(d.reason().getMessage()));
                    return Uni.createFrom().completionStage(d.record().nack(d.reason()));
                })
                .collect().last().replaceWithVoid();
    }

    private static String where(Message<String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset())
                .orElse("?");
    }

    private record DeadLetter(KafkaRecord<String, String> record, Throwable reason) {
    }
}
