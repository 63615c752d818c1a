package io.aigateway.routing.preferences;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * The {@code routing} schema (Flyway, JDBC): one attempt at start, then, while PostgreSQL is unavailable, one every
 * {@code aigw.preferences.migrate-retry-interval} in the background, so routing starts and routes without PostgreSQL
 * (docs/architecture.md "Reliability"); until it succeeds the preferences API answers 503 and usage counts are kept.
 */
@ApplicationScoped
public class PreferencesSchemaMigration {

    private static final Logger LOG = Logger.getLogger(PreferencesSchemaMigration.class);

    private final Flyway flyway;
    private volatile boolean migrated;
    private volatile boolean warned;

    public PreferencesSchemaMigration(Flyway flyway) {
        this.flyway = flyway;
    }

    void onStart(@Observes StartupEvent ev) {
        migrateIfNeeded();
    }

    @Scheduled(identity = "preference-schema-migration", every = "${aigw.preferences.migrate-retry-interval:10s}",
            delayed = "${aigw.preferences.migrate-retry-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void migrateIfNeeded() {
        if (migrated) {
            return;
        }
        try {
            flyway.migrate();
            migrated = true;
            if (warned) {
                LOG.info("preference schema migrated; the preferences API is available");
            }
        } catch (RuntimeException e) {
            if (!warned) {
                LOG.warnf("preference schema not migrated (%s); routing runs without the preferences API, retrying in the background",
                        e.getClass().getSimpleName());
                warned = true;
            } else {
                LOG.debugf("preference schema still not migrated (%s)", e.getClass().getSimpleName());
            }
        }
    }

    /** Whether the schema is migrated (readiness details). */
    public boolean migrated() {
        return migrated;
    }
}
