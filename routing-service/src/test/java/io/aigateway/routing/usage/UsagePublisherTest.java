package io.aigateway.routing.usage;

import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.config.UsageConfig;
import io.aigateway.routing.metrics.UsageEventMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.smallrye.reactive.messaging.MutinyEmitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsagePublisherTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    double events(String outcome) {
        return registry.get("aigw.usage.events").tag("outcome", outcome).counter().count();
    }

    double pending() {
        return registry.get("aigw.usage.spool.pending").gauge().value();
    }

    /** Kafka as the test decides: each send waits until the test acknowledges or fails it. */
    static final class ManualEmitter implements MutinyEmitter<UsageEvent> {
        final List<UniEmitter<? super Void>> sends = new ArrayList<>();
        /** Kafka acknowledges at once. */
        boolean autoAck;

        @Override
        public <M extends Message<? extends UsageEvent>> Uni<Void> sendMessage(M msg) {
            return autoAck ? Uni.createFrom().voidItem() : Uni.createFrom().emitter(sends::add);
        }

        @Override
        public Uni<Void> send(UsageEvent payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendAndAwait(UsageEvent payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Cancellable sendAndForget(UsageEvent payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends UsageEvent>> void send(M msg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends UsageEvent>> void sendMessageAndAwait(M msg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends UsageEvent>> Cancellable sendMessageAndForget(M msg) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }

    static UsageConfig config(Path dir) {
        return new UsageConfig() {
            @Override
            public String spoolDir() {
                return dir.toString();
            }

            @Override
            public Duration sendTimeout() {
                return Duration.ofSeconds(10);
            }

            @Override
            public Duration ackCheckInterval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration spoolResendInterval() {
                return Duration.ofSeconds(15);
            }

            @Override
            public Duration spoolResendDelay() {
                return Duration.ofSeconds(30);
            }

            @Override
            public boolean createTopic() {
                return false;
            }
        };
    }

    @Test
    void anEventNotAcknowledgedWithinTheSendTimeoutIsSpooledByTheSweepAndALateAckChangesNothing(@TempDir Path dir) {
        ManualEmitter kafka = new ManualEmitter();
        UsagePublisher publisher = new UsagePublisher(kafka, config(dir), Json.newMapper(), null, new UsageEventMetrics(registry), null);
        long before = System.nanoTime();
        publisher.publish(UsageSpoolTest.event("r1"));
        publisher.publish(UsageSpoolTest.event("r2"));
        assertEquals(2, publisher.unacknowledgedCount());

        publisher.spoolOverdue(before + Duration.ofSeconds(9).toNanos());
        assertEquals(2, publisher.unacknowledgedCount(), "not overdue yet");

        kafka.sends.get(1).complete(null);
        assertEquals(1, publisher.unacknowledgedCount());
        assertEquals(1, publisher.sentCount());
        assertFalse(publisher.degraded());

        publisher.spoolOverdue(System.nanoTime() + Duration.ofSeconds(11).toNanos());
        assertEquals(0, publisher.unacknowledgedCount());
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.spool().size() == 1);
        assertEquals(1, publisher.spooledCount());
        assertTrue(publisher.degraded());

        kafka.sends.get(0).complete(null); // the late ack: the spooled copy is a duplicate the consumer drops
        assertEquals(1, publisher.spool().size());
        assertEquals(1, events("sent"), "the late ack of a spooled event is not counted again");
        await().atMost(Duration.ofSeconds(10)).until(() -> events("spooled") == 1);
        assertEquals(1, pending());
        assertEquals(0, events("resent"));
        assertEquals(0, events("dropped"));
    }

    @Test
    void aResendCountsWhatItDeliveredAndEmptiesThePendingGauge(@TempDir Path dir) throws Exception {
        var mapper = Json.newMapper();
        java.nio.file.Files.writeString(dir.resolve("pending.jsonl"), mapper.writeValueAsString(UsageSpoolTest.event("r4"))
                + "\nnot json\n" + mapper.writeValueAsString(UsageSpoolTest.event("r5")) + "\n");
        ManualEmitter kafka = new ManualEmitter();
        kafka.autoAck = true;
        UsagePublisher publisher = new UsagePublisher(kafka, config(dir), mapper, null, new UsageEventMetrics(registry), null);
        assertEquals(3, pending(), "counted from the spool file");
        assertEquals(0, events("resent"), "registered at zero");
        publisher.resendSpool();
        assertEquals(2, events("resent"));
        assertEquals(1, events("dropped"), "the unreadable line");
        assertEquals(0, pending());
        assertEquals(0, publisher.spool().size());
        publisher.spool().append(UsageSpoolTest.event("r6"));
        assertEquals(1, pending(), "appends keep the count");
    }

    @Test
    void aRefusedSendIsSpooledAtOnce(@TempDir Path dir) {
        ManualEmitter kafka = new ManualEmitter();
        UsagePublisher publisher = new UsagePublisher(kafka, config(dir), Json.newMapper(), null, new UsageEventMetrics(registry), null);
        publisher.publish(UsageSpoolTest.event("r3"));
        kafka.sends.get(0).fail(new IllegalStateException("broker down"));
        assertEquals(0, publisher.unacknowledgedCount());
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.spool().size() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> events("spooled") == 1 && pending() == 1);
        assertEquals(0, events("sent"));
    }
}
