package io.aigateway.usage.records.listener;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** One Kafka admin client for the service (topic creation, readiness), built from the {@code kafka.*} config. */
@ApplicationScoped
public class KafkaAdminProvider {

    private final Map<String, Object> adminConfig;
    private volatile Admin admin;

    public KafkaAdminProvider(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Set<String> known = AdminClientConfig.configNames();
        Map<String, Object> config = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (known.contains(k)) {
                config.put(k, v);
            }
        });
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "usage-service-admin");
        this.adminConfig = Map.copyOf(config);
    }

    /** Created on first use; cheap to call (no connection is made until a request is sent). */
    public Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                a = admin;
                if (a == null) {
                    a = Admin.create(new HashMap<>(adminConfig));
                    admin = a;
                }
            }
        }
        return a;
    }

    @PreDestroy
    void close() {
        Admin a = admin;
        if (a != null) {
            a.close(Duration.ofSeconds(2));
        }
    }
}
