package io.aigateway.usage.records.service;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.usage.config.UsageConfig;
import io.aigateway.usage.records.repository.UsageRecordRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.aigateway.support.http.RequestIds;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.util.List;

/**
 * Stores usage events idempotently (unique {@code eventId}), a batch in one statement. Transient database
 * failures are retried with exponential back-off (with jitter) until the insert succeeds, so a record is never
 * acknowledged before it is stored. When PostgreSQL rejects a batch permanently (SQLSTATE 22/23), the batch is
 * stored again one event at a time, so only the events PostgreSQL rejects are reported back, not their neighbours.
 */
@ApplicationScoped
public class UsageIngestService {

    private static final Logger LOG = Logger.getLogger(UsageIngestService.class);

    private static final Rejection NO_REJECTION = new Rejection(-1, null);

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

    /** An event of a batch that PostgreSQL rejected permanently: {@code index} in the batch, and why. */
    public record Rejection(int index, Throwable reason) {
    }

    /**
     * Stores every event of the batch that is not stored yet; completes, once every other event is stored, with
     * the events PostgreSQL rejects permanently (empty when all were stored or were duplicates).
     */
    public Uni<List<Rejection>> storeAll(List<UsageEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return repository.insertAllIfAbsent(events)
                .onFailure(DbFailures::isTransient).invoke(e -> {
                    dbRetries.increment();
                    LOG.warnf("Storing a batch of %d usage events failed, will retry: %s", events.size(),
                            LogSafe.escape(e));
                })
                .onFailure(DbFailures::isTransient).retry()
                .withBackOff(retry.initialBackoff(), retry.maxBackoff()).withJitter(0.2)
                .indefinitely()
                .map(added -> {
                    inserted.increment(added);
                    duplicates.increment(events.size() - added);
                    return List.<Rejection>of();
                })
                .onFailure().recoverWithUni(e -> {
                    // only permanent failures get here: find the events PostgreSQL rejects
                    LOG.warnf("PostgreSQL rejected a batch of %d usage events, storing them one by one: %s",
                            events.size(), LogSafe.escape(e));
                    return oneByOne(events);
                });
    }

    private Uni<List<Rejection>> oneByOne(List<UsageEvent> events) {
        return Multi.createFrom().range(0, events.size())
                .onItem().transformToUniAndConcatenate(i -> store(events.get(i))
                        .onItemOrFailure().transform((added, failure) ->
                                failure == null ? NO_REJECTION : new Rejection(i, failure)))
                .filter(r -> r != NO_REJECTION)
                .collect().asList();
    }

    /**
     * Stores one event; completes with {@code true} if a new row was stored, {@code false} for a duplicate, or
     * fails with the permanent failure.
     */
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
