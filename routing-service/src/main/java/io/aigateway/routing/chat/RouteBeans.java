package io.aigateway.routing.chat;

import io.aigateway.routing.breaker.ProviderBreakers;
import io.aigateway.routing.config.RoutingConfig;
import io.aigateway.routing.route.ModelGroups;
import io.aigateway.routing.route.ModelResolver;
import io.aigateway.routing.route.ModelRouter;
import io.aigateway.routing.route.PreferenceSource;
import io.aigateway.routing.stats.RoutingStats;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The resolver and the router as beans: {@code route} is plain logic, wired here from configuration and statistics. */
@Singleton
public class RouteBeans {

    /** The file's groups; those published on ai.config.v1 replace them (configtopic/ConfigTopicListener). */
    @Produces
    @Singleton
    ModelGroups groups(RoutingConfig config) {
        return new ModelGroups(config.groups());
    }

    @Produces
    @Singleton
    ModelResolver resolver(ModelGroups groups, RoutingConfig config) {
        return new ModelResolver(groups, config.noCandidateRetryAfterSeconds());
    }

    /** User preferences come from preferences/PreferenceService (Redis mirror + local cache; PostgreSQL on a miss). */
    @Produces
    @Singleton
    ModelRouter router(RoutingConfig config, RoutingStats stats, ProviderBreakers breakers, PreferenceSource preferences) {
        return new ModelRouter(stats.latency(), stats.roundRobin(), breakers, preferences,
                config.noCandidateRetryAfterSeconds());
    }
}
