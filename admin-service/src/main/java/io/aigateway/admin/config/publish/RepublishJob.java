package io.aigateway.admin.config.publish;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At start and every {@code aigw.config-publish.republish-interval}: {@link ConfigPublisher#republish()} (topic
 * created when missing; a new or empty topic gets every stored record again; unacknowledged revisions are sent).
 * Kafka down only means the next run tries again. One run at a time.
 */
@ApplicationScoped
public class RepublishJob {

    private static final Logger LOG = Logger.getLogger(RepublishJob.class);

    private final ConfigPublisher publisher;
    private final AtomicBoolean running = new AtomicBoolean();

    public RepublishJob(ConfigPublisher publisher) {
        this.publisher = publisher;
    }

    void onStart(@Observes StartupEvent event) {
        run();
    }

    @Scheduled(every = "${aigw.config-publish.republish-interval}", delayed = "${aigw.config-publish.republish-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        run();
    }

    void run() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        publisher.republish()
                .eventually(() -> running.set(false))
                .subscribe().with(n -> { }, t -> LOG.warnf("Republish run failed: %s", t.getClass().getName()));
    }
}
