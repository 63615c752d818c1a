package io.aigateway.usage.providerhealth.service;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.usage.providerhealth.config.HealthHistoryConfig;
import io.aigateway.usage.providerhealth.repository.ProviderHealthRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes provider health rows older than {@code aigw.health-history.retention} (90 days by default), every
 * {@code aigw.health-history.purge-interval}. Every replica may run it: the delete is idempotent. A failure is
 * logged and retried at the next run.
 */
@ApplicationScoped
public class HealthHistoryPurge {

    private static final Logger LOG = Logger.getLogger(HealthHistoryPurge.class);

    private final ProviderHealthRepository repository;
    private final Duration retention;
    private final Clock clock;

    public HealthHistoryPurge(ProviderHealthRepository repository, HealthHistoryConfig config) {
        this.repository = repository;
        this.retention = config.retention();
        this.clock = Clock.systemUTC();
    }

    @Scheduled(every = "${aigw.health-history.purge-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge().onFailure().recoverWithItem(e -> {
            LOG.warnf("Purging provider health history failed: %s", LogSafe.escape(e));
            return 0;
        }).replaceWithVoid();
    }

    /** Deletes what is past the retention now; completes with the number of rows deleted. */
    public Uni<Integer> purge() {
        Instant cutoff = clock.instant().minus(retention);
        return repository.purgeBefore(cutoff).invoke(n -> {
            if (n > 0) {
                LOG.infof("Purged %d provider health rows older than %s", n, cutoff);
            }
        });
    }
}
