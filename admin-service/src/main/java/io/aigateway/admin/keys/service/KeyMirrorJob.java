package io.aigateway.admin.keys.service;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Rebuilds the Redis mirror from PostgreSQL at start and then every {@code aigw.keys.mirror-interval}
 * (Redis may have been flushed or restarted). Non-blocking: runs on a Vert.x context.
 */
@ApplicationScoped
public class KeyMirrorJob {

    private static final Logger LOG = Logger.getLogger(KeyMirrorJob.class);

    private final ApiKeyService keys;

    public KeyMirrorJob(ApiKeyService keys) {
        this.keys = keys;
    }

    @Scheduled(identity = "key-mirror", every = "${aigw.keys.mirror-interval:5m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> remirror() {
        return keys.remirrorAll()
                .invoke(n -> LOG.debugf("Re-mirrored %d live keys into Redis", n))
                .onFailure().recoverWithItem(t -> {
                    LOG.warnf("Re-mirroring keys failed (retried at the next run): %s", t.getClass().getSimpleName());
                    return 0;
                })
                .replaceWithVoid();
    }
}
