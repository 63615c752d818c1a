package io.aigateway.usage.providerhealth.listener;

import io.aigateway.contracts.health.ProviderHealthEvent;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.usage.providerhealth.service.ProviderHealthIngest;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code ai.health.v1} (group {@code usage-service}) into {@code usage.provider_health}, one record at a
 * time (a few records a minute). A record that is not a valid ProviderHealthEvent, or that PostgreSQL rejects
 * permanently, is logged and skipped (acked): the channel never stops. Transient database failures are retried
 * until the insert succeeds, and the record is acked only after it is stored.
 */
@ApplicationScoped
public class ProviderHealthListener {

    /** Channel name (configured under {@code mp.messaging.incoming.health-in.*}). */
    public static final String CHANNEL = "health-in";

    private static final Logger LOG = Logger.getLogger(ProviderHealthListener.class);

    private final ProviderHealthIngest ingest;
    private final MeterRegistry registry;

    public ProviderHealthListener(ProviderHealthIngest ingest, MeterRegistry registry) {
        this.ingest = ingest;
        this.registry = registry;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(Message<String> record) {
        ProviderHealthEvent event;
        try {
            event = ingest.parse(record.getPayload());
        } catch (RuntimeException e) {
            return skip(record, e);
        }
        return ingest.store(event).onItemOrFailure().transformToUni((added, failure) -> {
            if (failure != null) {
                return skip(record, failure);
            }
            count(added ? "stored" : "duplicate");
            return Uni.createFrom().completionStage(record.ack());
        });
    }

    private Uni<Void> skip(Message<String> record, Throwable reason) {
        count("skipped");
        LOG.warnf("Provider health record %s skipped: %s", where(record), LogSafe.escape(reason.getMessage()));
        return Uni.createFrom().completionStage(record.ack());
    }

    private void count(String outcome) {
        registry.counter("aigw.health.events", "outcome", outcome).increment();
    }

    static String where(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset())
                .orElse("?");
    }
}
