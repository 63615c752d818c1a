package io.aigateway.adapter.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.adapter.config.AigwConfig;
import io.aigateway.contracts.health.ProviderAlert;
import io.aigateway.contracts.health.ProviderHealthEvent;
import io.aigateway.contracts.internal.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes provider health events ({@code ai.health.v1}, key provider id) and alerts ({@code ai.alerts.v1}, key
 * {@code provider:<id>}), best effort and never on the request path or the health checks' path: {@link #publish}
 * only puts the record into a bounded in-memory buffer (full: the oldest is dropped and counted); one sender thread
 * hands them to a plain kafka-clients producer ({@code max.block.ms} short) in order. While Kafka (or the topic) is
 * missing the head record is retried with a growing pause (at most 10 s) and every failed attempt is counted; a record
 * Kafka rejects for good is dropped and counted. Topics are not created here (usage-service creates them).
 *
 * <p>Plain kafka-clients rather than a SmallRye emitter: the emitter's channel would add a Kafka readiness check and
 * its own unbounded-or-failing buffer semantics to a service that must stay ready without Kafka; here the buffer bound,
 * the drop policy and the counters are ours. Alerts are also POSTed once to {@code aigw.health.alert-webhook}.
 *
 * <p>Metrics: {@code aigw_health_events_sent_total{topic}}, {@code aigw_health_events_dropped_total{reason=buffer_full|rejected}},
 * {@code aigw_health_events_send_failures_total}, {@code aigw_health_events_buffered},
 * {@code aigw_health_alert_webhook_total{outcome=ok|failed}}.
 */
@ApplicationScoped
public class HealthEventPublisher {

    private static final Logger LOG = Logger.getLogger(HealthEventPublisher.class);

    private record Outgoing(String topic, String key, String value) {
    }

    private final AigwConfig.Health config;
    private final String bootstrap;
    private final ObjectMapper json = Json.newMapper();
    private final Deque<Outgoing> buffer = new ArrayDeque<>();
    private final String instance;
    private final MeterRegistry registry;
    private final Counter droppedFull;
    private final Counter droppedRejected;
    private final Counter failures;
    private final Counter webhookOk;
    private final Counter webhookFailed;
    private final HttpClient webhookClient;
    private volatile Thread sender;
    private volatile boolean closed;
    private volatile String lastError;

    public HealthEventPublisher(AigwConfig config, MeterRegistry registry,
                                @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.config = config.health();
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.instance = hostName();
        droppedFull = dropped(registry, "buffer_full");
        droppedRejected = dropped(registry, "rejected");
        failures = Counter.builder("aigw.health.events.send.failures")
                .description("Failed attempts to send a health event or alert to Kafka (Kafka or the topic missing)")
                .register(registry);
        Gauge.builder("aigw.health.events.buffered", buffer, b -> {
            synchronized (b) {
                return b.size();
            }
        }).description("Health events and alerts waiting for Kafka").register(registry);
        webhookOk = webhook(registry, "ok");
        webhookFailed = webhook(registry, "failed");
        webhookClient = this.config.alertWebhook().isPresent()
                ? HttpClient.newBuilder().connectTimeout(this.config.alertWebhookTimeout()).build() : null;
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder("aigw.health.events.dropped")
                .description("Health events and alerts never sent: buffer full (oldest dropped) or rejected by Kafka")
                .tag("reason", reason).register(registry);
    }

    private static Counter webhook(MeterRegistry registry, String outcome) {
        return Counter.builder("aigw.health.alert.webhook").description("Alert webhook calls by outcome")
                .tag("outcome", outcome).register(registry);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "adapter-service";
        }
    }

    /** The name events carry as {@code instance}. */
    public String instance() {
        return instance;
    }

    void start(@Observes StartupEvent event) {
        if (!config.publish()) {
            LOG.info("health events are not published (aigw.health.publish=false)");
            return;
        }
        Thread t = new Thread(this::run, "aigw-health-publisher");
        t.setDaemon(true);
        sender = t;
        t.start();
    }

    void stop(@Observes ShutdownEvent event) {
        closed = true;
        Thread t = sender;
        if (t != null) {
            t.interrupt();
            try {
                t.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void publish(ProviderHealthEvent event) {
        enqueue(config.topic(), event.provider(), event);
    }

    /** Publishes the alert and POSTs it to the webhook, if one is configured. */
    public void publish(ProviderAlert alert) {
        String value = enqueue(config.alertsTopic(), "provider:" + alert.provider(), alert);
        if (value != null && webhookClient != null) {
            postWebhook(value);
        }
    }

    private String enqueue(String topic, String key, Object payload) {
        String value;
        try {
            value = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            LOG.errorf("cannot serialise %s: %s", payload.getClass().getSimpleName(), e.getMessage());
            return null;
        }
        if (!config.publish()) {
            return value;
        }
        synchronized (buffer) {
            while (buffer.size() >= Math.max(1, config.bufferSize())) {
                buffer.pollFirst();
                droppedFull.increment();
            }
            buffer.addLast(new Outgoing(topic, key, value));
            buffer.notifyAll();
        }
        return value;
    }

    /** Whether events flow, for the readiness details. */
    public String status() {
        if (!config.publish()) {
            return "off";
        }
        int waiting;
        synchronized (buffer) {
            waiting = buffer.size();
        }
        String error = lastError;
        return error == null ? "ok (" + waiting + " waiting)"
                : "degraded: Kafka not reachable (" + error + "), " + waiting + " waiting";
    }

    private void run() {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps())) {
            long pauseMs = 500;
            while (!closed) {
                Outgoing next;
                synchronized (buffer) {
                    while (buffer.isEmpty() && !closed) {
                        buffer.wait(1000);
                    }
                    next = buffer.peekFirst();
                }
                if (next == null) {
                    continue;
                }
                if (send(producer, next)) {
                    pauseMs = 500;
                } else {
                    Thread.sleep(pauseMs);
                    pauseMs = Math.min(10_000, pauseMs * 2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf("health event publisher stopped: %s", e.toString());
        }
    }

    /** @return false when the record should be tried again later (Kafka or the topic missing) */
    private boolean send(KafkaProducer<String, String> producer, Outgoing next) throws InterruptedException {
        try {
            producer.send(new ProducerRecord<>(next.topic(), next.key(), next.value())).get(15, TimeUnit.SECONDS);
            remove(next);
            Counter.builder("aigw.health.events.sent").description("Health events and alerts sent to Kafka")
                    .tag("topic", next.topic()).register(registry).increment();
            if (lastError != null) {
                LOG.infof("health events flow to Kafka again");
                lastError = null;
            }
            return true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            failures.increment();
            if (cause instanceof RetriableException || cause instanceof TimeoutException) {
                if (lastError == null) {
                    LOG.warnf("health events not sent to %s (%s); retrying, newest %d kept", next.topic(),
                            cause.toString(), config.bufferSize());
                }
                lastError = cause.getClass().getSimpleName();
                return false;
            }
            LOG.warnf("health event to %s rejected by Kafka (%s); dropped", next.topic(), cause.toString());
            remove(next);
            droppedRejected.increment();
            return true;
        }
    }

    private void remove(Outgoing sent) {
        synchronized (buffer) {
            if (buffer.peekFirst() == sent) {
                buffer.pollFirst();
            }
        }
    }

    private Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "adapter-health-" + instance);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        return p;
    }

    private void postWebhook(String body) {
        String url = config.alertWebhook().orElseThrow();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(config.alertWebhookTimeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        } catch (IllegalArgumentException e) {
            LOG.warnf("alert webhook URL is invalid (%s); alert not posted", e.getMessage());
            webhookFailed.increment();
            return;
        }
        webhookClient.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() / 100 == 2) {
                webhookOk.increment();
            } else {
                webhookFailed.increment();
                LOG.warnf("alert webhook failed (%s); not retried",
                        failure != null ? failure.getClass().getSimpleName() : "status " + response.statusCode());
            }
        });
    }
}
