package io.aigateway.routing.usage;

import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.usage.UsageEvent;
import io.aigateway.routing.config.UsageConfig;
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

    /** Kafka as the test decides: each send waits until the test acknowledges or fails it. */
    static final class ManualEmitter implements MutinyEmitter<UsageEvent> {
        final List<UniEmitter<? super Void>> sends = new ArrayList<>();

        @Override
        public <M extends Message<? extends UsageEvent>> Uni<Void> sendMessage(M msg) {
            return Uni.createFrom().emitter(sends::add);
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
        UsagePublisher publisher = new UsagePublisher(kafka, config(dir), Json.newMapper(), null);
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
    }

    @Test
    void aRefusedSendIsSpooledAtOnce(@TempDir Path dir) {
        ManualEmitter kafka = new ManualEmitter();
        UsagePublisher publisher = new UsagePublisher(kafka, config(dir), Json.newMapper(), null);
        publisher.publish(UsageSpoolTest.event("r3"));
        kafka.sends.get(0).fail(new IllegalStateException("broker down"));
        assertEquals(0, publisher.unacknowledgedCount());
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.spool().size() == 1);
    }
}
