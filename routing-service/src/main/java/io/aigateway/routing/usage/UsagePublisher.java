package io.aigateway.routing.usage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.config.UsageConfig;
import io.aigateway.routing.metrics.RequestMetrics;
import io.aigateway.routing.metrics.UsageEventMetrics;
import io.aigateway.routing.quota.QuotaSettler;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends usage events to {@code ai.usage.v1} (key = user id) without ever blocking or failing the request.
 * What Kafka does not acknowledge within {@code aigw.usage.send-timeout} is spooled to a local file and
 * resent by a scheduled job when Kafka is back (same eventId). The timeout is enforced by one periodic sweep over
 * the unacknowledged events, not by a timer per event; an acknowledgement that comes after the spooling makes a
 * duplicate the consumer drops by eventId. Events still unacknowledged when the service
 * stops are spooled at shutdown; a copy Kafka takes meanwhile is a duplicate the consumer drops by eventId.
 */
@ApplicationScoped
public class UsagePublisher {

    /** Channel name, shared with the tests. */
    public static final String CHANNEL = "usage";

    private static final Logger LOG = Logger.getLogger(UsagePublisher.class);

    private final MutinyEmitter<UsageEvent> emitter;
    private final UsageSpool spool;
    private final Duration sendTimeout;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicReference<Instant> lastAck = new AtomicReference<>();
    private final AtomicReference<Instant> lastFailure = new AtomicReference<>();
    /** Sent but not yet acknowledged nor spooled: what a shutdown must not lose. */
    private final QuotaSettler settler;
    private final Map<UUID, Pending> unacknowledged = new ConcurrentHashMap<>();
    private final UsageEventMetrics deliveries;
    /** Null in tests that only look at delivery. */
    private final RequestMetrics requests;

    private record Pending(UsageEvent event, long sentNanos) {
    }

    public UsagePublisher(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
                          MutinyEmitter<UsageEvent> emitter, UsageConfig config, ObjectMapper mapper,
                          QuotaSettler settler, UsageEventMetrics deliveries, RequestMetrics requests) {
        this.emitter = emitter;
        this.settler = settler;
        this.deliveries = deliveries;
        this.requests = requests;
        this.spool = new UsageSpool(Path.of(config.spoolDir()), mapper, deliveries::dropped);
        this.sendTimeout = config.sendTimeout();
        deliveries.spoolPending(spool, UsageSpool::pending);
    }

    /**
     * Publishes the event and settles the request's quota reservation (null when it had none) with the same numbers.
     */
    public void publish(UsageEvent event, String reservation) {
        if (settler != null) {
            settler.settle(reservation, event);
        }
        publish(event);
    }

    /** Fire and forget: delivery, or the spool, happens in the background. */
    public void publish(UsageEvent event) {
        if (requests != null) {
            requests.usageEvent(event); // tokens, cost, durations: once per event (never for a resend)
        }
        UUID id = event.eventId();
        unacknowledged.put(id, new Pending(event, System.nanoTime()));
        try {
            emitter.sendMessage(message(event))
                    .subscribe().with(ok -> {
                        if (unacknowledged.remove(id) != null) {
                            deliveries.sent(); // a late ack of a spooled event counted as spooled already
                        }
                        acked();
                    }, failure -> {
                        if (unacknowledged.remove(id) != null) {
                            toSpool(event, failure);
                        }
                    });
        } catch (RuntimeException e) {
            if (unacknowledged.remove(id) != null) {
                toSpool(event, e);
            }
        }
    }

    /** Spools what Kafka has not acknowledged yet, so a stop while Kafka is slow or down loses nothing. */
    void onStop(@Observes ShutdownEvent ev) {
        List<UsageEvent> left = new ArrayList<>(unacknowledged.size());
        for (Pending p : unacknowledged.values()) {
            left.add(p.event());
        }
        if (left.isEmpty()) {
            return;
        }
        try {
            spool.append(left);
            deliveries.spooled(left.size());
            left.forEach(e -> unacknowledged.remove(e.eventId()));
            LOG.warnf("shutdown: spooled %d unacknowledged usage events", left.size());
        } catch (RuntimeException e) {
            deliveries.dropped(left.size());
            LOG.errorf("shutdown: %d unacknowledged usage events could not be spooled: %s", left.size(), e.getMessage());
        }
    }

    /** Spools the events Kafka has not acknowledged within the send timeout (they stay out of the way of new ones). */
    @Scheduled(identity = "usage-ack-timeout", every = "${aigw.usage.ack-check-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void spoolOverdue() {
        spoolOverdue(System.nanoTime());
    }

    void spoolOverdue(long nowNanos) {
        long timeoutNanos = sendTimeout.toNanos();
        for (Pending p : unacknowledged.values()) {
            if (nowNanos - p.sentNanos() >= timeoutNanos && unacknowledged.remove(p.event().eventId()) != null) {
                toSpool(p.event(), new TimeoutException("no acknowledgement within " + sendTimeout.toMillis() + " ms"));
            }
        }
    }

    /** Events handed to Kafka and not yet acknowledged (for health details and tests). */
    public int unacknowledgedCount() {
        return unacknowledged.size();
    }

    /**
     * The record for {@code event}, keyed by user. Its trace context is the one current now (the request's, when
     * {@link #publish} is called on the request's context): the Kafka connector writes it as the record's
     * {@code traceparent} header, whichever thread later sends the record. A resend from the spool carries the
     * resending job's context in its header; the event's own {@code traceId} still names the request's trace.
     */
    private static Message<UsageEvent> message(UsageEvent event) {
        OutgoingKafkaRecordMetadata<String> md = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.userId())
                .build();
        Context trace = Context.current();
        return Message.of(event, Metadata.of(md, TracingMetadata.with(trace, trace)));
    }

    private void acked() {
        sent.incrementAndGet();
        lastAck.set(Instant.now());
    }

    private void toSpool(UsageEvent event, Throwable cause) {
        lastFailure.set(Instant.now());
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                spool.append(event);
                spooled.incrementAndGet();
                deliveries.spooled(1);
                LOG.warnf("usage event %s of request %s not acknowledged by Kafka (%s): spooled",
                        event.eventId(), event.requestId(), cause.getClass().getSimpleName());
            } catch (RuntimeException e) {
                deliveries.dropped(1);
                LOG.errorf("usage event %s of request %s could neither be sent nor spooled: %s",
                        event.eventId(), event.requestId(), e.getMessage());
            }
        });
    }

    /** Resends the spool; runs on a worker thread, so waiting for each ack is fine here. */
    @Scheduled(identity = "usage-spool-resend", every = "${aigw.usage.spool-resend-interval:15s}",
            delayed = "${aigw.usage.spool-resend-delay:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resendSpool() {
        int n = spool.resend(event -> {
            try {
                emitter.sendMessage(message(event)).await().atMost(sendTimeout);
                acked();
                return true;
            } catch (RuntimeException e) {
                lastFailure.set(Instant.now());
                return false;
            }
        });
        if (n > 0) {
            deliveries.resent(n);
            LOG.infof("resent %d spooled usage events", n);
        }
    }

    public UsageSpool spool() {
        return spool;
    }

    public long sentCount() {
        return sent.get();
    }

    public long spooledCount() {
        return spooled.get();
    }

    /** True when the last delivery attempt failed after the last acknowledgement. */
    public boolean degraded() {
        Instant f = lastFailure.get();
        Instant a = lastAck.get();
        return f != null && (a == null || f.isAfter(a));
    }
}
