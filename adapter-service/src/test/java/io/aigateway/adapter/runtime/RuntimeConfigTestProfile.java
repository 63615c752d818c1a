package io.aigateway.adapter.runtime;

import io.aigateway.adapter.conformance.AdapterTestProfile;

import java.util.Map;
import java.util.UUID;

/**
 * {@link AdapterTestProfile} with the Kafka parts on: the configuration follower and the health publisher, each on
 * topics of this test run (other test classes share the broker and must not see these records).
 */
public class RuntimeConfigTestProfile extends AdapterTestProfile {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String CONFIG_TOPIC = "ai.config.v1.test-" + RUN;
    static final String HEALTH_TOPIC = "ai.health.v1.test-" + RUN;
    static final String ALERTS_TOPIC = "ai.alerts.v1.test-" + RUN;
    static final int ALERT_AFTER = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = super.getConfigOverrides();
        config.put("aigw.config-topic.enabled", "true");
        config.put("aigw.config-topic.name", CONFIG_TOPIC);
        config.put("aigw.config-topic.retry", "500ms");
        config.put("aigw.health.publish", "true");
        config.put("aigw.health.topic", HEALTH_TOPIC);
        config.put("aigw.health.alerts-topic", ALERTS_TOPIC);
        config.put("aigw.health.alert-after", Integer.toString(ALERT_AFTER));
        config.put("aigw.health.timeout", "10s");
        return config;
    }
}
