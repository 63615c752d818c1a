package io.aigateway.routing.usage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.config.UsageConfig;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends usage events to {@code ai.usage.v1} (key = user id) without ever blocking or failing the request.
 * What Kafka does not acknowledge within {@code aigw.usage.send-timeout} is spooled to a local file and
 * resent by a scheduled job when Kafka is back (same eventId).
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

    public UsagePublisher(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
                          MutinyEmitter<UsageEvent> emitter, UsageConfig config, ObjectMapper mapper) {
        this.emitter = emitter;
        this.spool = new UsageSpool(Path.of(config.spoolDir()), mapper);
        this.sendTimeout = config.sendTimeout();
    }

    /** Fire and forget: delivery, or the spool, happens in the background. */
    public void publish(UsageEvent event) {
        try {
            emitter.sendMessage(message(event))
                    .ifNoItem().after(sendTimeout).fail()
                    .subscribe().with(ok -> acked(), failure -> toSpool(event, failure));
        } catch (RuntimeException e) {
            toSpool(event, e);
        }
    }

    private static Message<UsageEvent> message(UsageEvent event) {
        OutgoingKafkaRecordMetadata<String> md = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.userId())
                .build();
        return Message.of(event, Metadata.of(md));
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
                LOG.warnf("usage event %s of request %s not acknowledged by Kafka (%s): spooled",
                        event.eventId(), event.requestId(), cause.getClass().getSimpleName());
            } catch (RuntimeException e) {
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
