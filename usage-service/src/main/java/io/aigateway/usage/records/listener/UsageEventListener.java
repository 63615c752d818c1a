package io.aigateway.usage.records.listener;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.records.service.DbFailures;
import io.aigateway.usage.records.service.UsageEventParser;
import io.aigateway.usage.records.service.UsageEventSanitizer;
import io.aigateway.usage.records.service.UsageIngestService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code ai.usage.v1} (group {@code usage-service}). The value is read as a String and parsed here,
 * so a record that is not a valid UsageEvent is nacked, which the channel's dead-letter-queue failure
 * strategy sends to {@code ai.usage.v1.dlq}; the channel keeps going. A record is acked only once stored.
 * Text PostgreSQL cannot store (NUL, unpaired surrogates) and over-long values are made storable first
 * ({@link UsageEventSanitizer}), so client-chosen characters never send a record to the DLQ.
 */
@ApplicationScoped
public class UsageEventListener {

    /** Channel name (configured under {@code mp.messaging.incoming.usage-in.*}). */
    public static final String CHANNEL = "usage-in";

    private static final Logger LOG = Logger.getLogger(UsageEventListener.class);

    private final UsageEventParser parser;
    private final UsageIngestService ingest;
    private final UsageEventSanitizer sanitizer;
    private final Counter consumed;
    private final Counter sanitized;
    private final Counter deadLettered;

    public UsageEventListener(UsageEventParser parser, UsageIngestService ingest, UsageEventSanitizer sanitizer,
                              MeterRegistry registry) {
        this.parser = parser;
        this.ingest = ingest;
        this.sanitizer = sanitizer;
        this.sanitized = Counter.builder("aigw.usage.events.sanitized")
                .description("Events whose text had to be made storable (NUL, unpaired surrogates, over-long)")
                .register(registry);
        this.consumed = Counter.builder("aigw.usage.events.consumed")
                .description("Records read from ai.usage.v1").register(registry);
        this.deadLettered = Counter.builder("aigw.usage.events.dead.lettered")
                .description("Records sent to ai.usage.v1.dlq").register(registry);
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(Message<String> message) {
        consumed.increment();
        UsageEvent event;
        try {
            event = parser.parse(message.getPayload());
        } catch (RuntimeException e) {
            return deadLetter(message, e);
        }
        UsageEvent storable = sanitizer.sanitize(event);
        if (storable != event) {
            sanitized.increment();
            event = storable;
        }
        return ingest.store(event)
                .onItemOrFailure().transformToUni((added, failure) -> {
                    if (failure == null) {
                        return Uni.createFrom().completionStage(message.ack());
                    }
                    if (DbFailures.isPermanent(failure)) {
                        return deadLetter(message, failure);
                    }
                    // Not reachable while the store retries transient failures indefinitely; never ack then.
                    return Uni.createFrom().failure(failure);
                });
    }

    private Uni<Void> deadLetter(Message<String> message, Throwable reason) {
        deadLettered.increment();
        LOG.warnf("Usage record %s rejected, sent to the DLQ: %s", where(message), LogSafe.escape(reason.getMessage()));
        return Uni.createFrom().completionStage(message.nack(reason));
    }

    private static String where(Message<String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset())
                .orElse("?");
    }
}
