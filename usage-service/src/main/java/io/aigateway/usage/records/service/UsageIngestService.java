package io.aigateway.usage.records.service;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.config.UsageConfig;
import io.aigateway.usage.records.repository.UsageRecordRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.aigateway.support.http.RequestIds;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Stores one usage event idempotently. Transient database failures are retried with exponential back-off
 * (with jitter) until the insert succeeds, so the record is never acknowledged before it is stored.
 */
@ApplicationScoped
public class UsageIngestService {

    private static final Logger LOG = Logger.getLogger(UsageIngestService.class);

    private final UsageRecordRepository repository;
    private final UsageConfig.Retry retry;
    private final Counter inserted;
    private final Counter duplicates;
    private final Counter dbRetries;

    public UsageIngestService(UsageRecordRepository repository, UsageConfig config, MeterRegistry registry) {
        this.repository = repository;
        this.retry = config.retry();
        this.inserted = Counter.builder("aigw.usage.events.inserted")
                .description("Usage events stored as new rows").register(registry);
        this.duplicates = Counter.builder("aigw.usage.events.duplicate")
                .description("Usage events already stored (same eventId)").register(registry);
        this.dbRetries = Counter.builder("aigw.usage.db.retries")
                .description("Inserts retried after a transient database failure").register(registry);
    }

    /** Completes with {@code true} if a new row was stored, {@code false} for a duplicate. */
    public Uni<Boolean> store(UsageEvent event) {
        return repository.insertIfAbsent(event)
                .onFailure(DbFailures::isTransient).invoke(e -> {
                    dbRetries.increment();
                    logWithRequestId(event, () -> LOG.warnf("Storing usage event %s failed, will retry: %s",
                            event.eventId(), LogSafe.escape(e)));
                })
                .onFailure(DbFailures::isTransient).retry()
                .withBackOff(retry.initialBackoff(), retry.maxBackoff()).withJitter(0.2)
                .indefinitely()
                .invoke(added -> {
                    if (added) {
                        inserted.increment();
                    } else {
                        duplicates.increment();
                        if (LOG.isDebugEnabled()) {
                            logWithRequestId(event, () -> LOG.debugf("Usage event %s already stored",
                                    event.eventId()));
                        }
                    }
                });
    }

    /** Log lines about one event carry its request ID (MDC key {@code requestId}), like request log lines. */
    private static void logWithRequestId(UsageEvent event, Runnable log) {
        Object previous = MDC.get(RequestIds.MDC_KEY);
        MDC.put(RequestIds.MDC_KEY, event.requestId() == null ? "" : LogSafe.escape(event.requestId(), 128));
        try {
            log.run();
        } finally {
            if (previous == null) {
                MDC.remove(RequestIds.MDC_KEY);
            } else {
                MDC.put(RequestIds.MDC_KEY, previous);
            }
        }
    }
}
