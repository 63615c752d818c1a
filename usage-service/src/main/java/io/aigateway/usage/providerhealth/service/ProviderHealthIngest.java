package io.aigateway.usage.providerhealth.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.aigateway.contracts.health.ProviderHealthEvent;
import io.aigateway.contracts.text.LogSafe;
import io.aigateway.usage.config.UsageConfig;
import io.aigateway.usage.providerhealth.repository.ProviderHealthRepository;
import io.aigateway.usage.records.service.DbFailures;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Reads one {@code ai.health.v1} value into a {@link ProviderHealthEvent} and stores it idempotently (unique
 * {@code eventId}). Transient database failures are retried with back-off until the insert succeeds (like usage
 * records); what cannot be stored fails with {@link InvalidRecordException} or the permanent database failure.
 */
@ApplicationScoped
public class ProviderHealthIngest {

    private static final Logger LOG = Logger.getLogger(ProviderHealthIngest.class);

    static final int MAX_ID_LENGTH = 256;
    static final int MAX_DETAIL_LENGTH = 2000;

    private final ObjectReader reader;
    private final ProviderHealthRepository repository;
    private final UsageConfig.Retry retry;

    public ProviderHealthIngest(ObjectMapper mapper, ProviderHealthRepository repository, UsageConfig config) {
        this.reader = mapper.readerFor(ProviderHealthEvent.class);
        this.repository = repository;
        this.retry = config.retry();
    }

    /** Parses and checks the value; text PostgreSQL cannot hold (NUL) is replaced, over-long text cut. */
    public ProviderHealthEvent parse(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidRecordException("empty record");
        }
        ProviderHealthEvent e;
        try {
            e = reader.readValue(json);
        } catch (JsonProcessingException ex) {
            throw new InvalidRecordException("not a ProviderHealthEvent JSON object (" + ex.getClass().getSimpleName()
                    + (ex.getLocation() == null ? "" : " at column " + ex.getLocation().getColumnNr()) + ")");
        }
        if (e == null) {
            throw new InvalidRecordException("null record");
        }
        require(e.eventId() != null, "eventId is required");
        require(e.provider() != null && !e.provider().isBlank(), "provider is required");
        require(e.type() != null, "type is required");
        require(e.occurredAt() != null, "occurredAt is required");
        require(e.consecutiveFailures() >= 0, "consecutiveFailures must not be negative");
        return new ProviderHealthEvent(e.eventId(), storable(e.provider(), MAX_ID_LENGTH), e.type(), e.healthy(),
                e.previousHealthy(), storable(e.detail(), MAX_DETAIL_LENGTH), e.latencyMs(), e.consecutiveFailures(),
                e.checkedAt(), e.occurredAt(), storable(e.instance(), MAX_ID_LENGTH));
    }

    /** {@code true} when a row was added, {@code false} for a redelivered event. */
    public Uni<Boolean> store(ProviderHealthEvent event) {
        return repository.insertIfAbsent(event)
                .onFailure(DbFailures::isTransient).invoke(e -> LOG.warnf(
                        "Storing provider health event %s failed, will retry: %s", event.eventId(), LogSafe.escape(e)))
                .onFailure(DbFailures::isTransient).retry()
                .withBackOff(retry.initialBackoff(), retry.maxBackoff()).withJitter(0.2)
                .indefinitely();
    }

    /** NUL replaced (PostgreSQL text cannot hold it), cut to {@code max} characters. */
    public static String storable(String s, int max) {
        if (s == null) {
            return null;
        }
        String v = s.indexOf('\0') >= 0 ? s.replace('\0', '\uFFFD') : s;
        return v.length() > max ? v.substring(0, max) : v;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new InvalidRecordException(message);
        }
    }
}
