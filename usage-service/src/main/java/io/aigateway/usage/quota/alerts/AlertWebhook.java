package io.aigateway.usage.quota.alerts;

import io.aigateway.contracts.text.LogSafe;
import io.aigateway.usage.config.QuotaConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * POSTs each alert's JSON to {@code aigw.quota.alerts.webhook-url} when one is set: one attempt, bounded by
 * {@code webhook-timeout}, asynchronous; a failure is logged and dropped (the alert is on Kafka regardless).
 */
@ApplicationScoped
public class AlertWebhook {

    private static final Logger LOG = Logger.getLogger(AlertWebhook.class);

    private final Optional<URI> url;
    private final Duration timeout;
    private final HttpClient client;

    public AlertWebhook(QuotaConfig config) {
        this.url = config.alerts().webhookUrl().filter(u -> !u.isBlank()).map(URI::create);
        this.timeout = config.alerts().webhookTimeout();
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public void post(String json) {
        if (url.isEmpty()) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(url.get()).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure != null) {
                LOG.warnf("Quota alert webhook failed: %s", LogSafe.escape(failure));
            } else if (response.statusCode() >= 300) {
                LOG.warnf("Quota alert webhook answered %d", response.statusCode());
            }
        });
    }
}
