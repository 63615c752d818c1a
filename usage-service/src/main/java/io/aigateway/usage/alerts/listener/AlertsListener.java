package io.aigateway.usage.alerts.listener;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.usage.alerts.repository.AlertRepository;
import io.aigateway.usage.config.UsageConfig;
import io.aigateway.usage.records.service.DbFailures;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code ai.alerts.v1} (group {@code usage-service}) into {@code usage.alerts}, idempotent on
 * {@code alertId}. A record that is not an alert ({@link AlertParser}), or that PostgreSQL rejects permanently, is
 * logged and skipped (acked): the channel never stops. Transient database failures are retried with back-off; the
 * record is acked only after it is stored.
 */
@ApplicationScoped
public class AlertsListener {

    /** Channel name (configured under {@code mp.messaging.incoming.alerts-in.*}). */
    public static final String CHANNEL = "alerts-in";

    private static final Logger LOG = Logger.getLogger(AlertsListener.class);

    private final AlertParser parser;
    private final AlertRepository repository;
    private final UsageConfig.Retry retry;
    private final MeterRegistry registry;

    public AlertsListener(AlertParser parser, AlertRepository repository, UsageConfig config, MeterRegistry registry) {
        this.parser = parser;
        this.repository = repository;
        this.retry = config.retry();
        this.registry = registry;
    }

    @Incoming(CHANNEL)
    public Uni<Void> consume(Message<String> record) {
        StoredAlert alert;
        try {
            alert = parser.parse(record.getPayload());
        } catch (RuntimeException e) {
            return skip(record, e);
        }
        return repository.insertIfAbsent(alert)
                .onFailure(DbFailures::isTransient).invoke(e -> LOG.warnf(
                        "Storing alert %s failed, will retry: %s", alert.alertId(), LogSafe.escape(e)))
                .onFailure(DbFailures::isTransient).retry()
                .withBackOff(retry.initialBackoff(), retry.maxBackoff()).withJitter(0.2)
                .indefinitely()
                .onItemOrFailure().transformToUni((added, failure) -> {
                    if (failure != null) {
                        return skip(record, failure);
                    }
                    count(added ? "stored" : "duplicate");
                    return Uni.createFrom().completionStage(record.ack());
                });
    }

    private Uni<Void> skip(Message<String> record, Throwable reason) {
        count("skipped");
        LOG.warnf("Alert record %s skipped: %s", where(record), LogSafe.escape(reason.getMessage()));
        return Uni.createFrom().completionStage(record.ack());
    }

    private void count(String outcome) {
        registry.counter("aigw.alerts.events", "outcome", outcome).increment();
    }

    private static String where(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset())
                .orElse("?");
    }
}
