package io.aigateway.edge.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.internal.AigwHeaders;
import io.aigateway.edge.routing.RoutingClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * The highest price per model name (routing-service's {@code GET /internal/v1/models/prices}), read at start and every
 * {@code aigw.quota.prices-refresh}; a name it does not know (routing will answer 404 for it) and the time before the
 * first read use the highest price of all, or the configured fallback price. {@link #reload()} re-reads them at once
 * (configtopic/ConfigTopicListener, after a provider or group change on {@code ai.config.v1}).
 */
@ApplicationScoped
public class ModelPrices {

    private static final Logger LOG = Logger.getLogger(ModelPrices.class);
    static final String PATH = "/internal/v1/models/prices";
    private static final long RETRY_MS = 2000;

    public record Price(BigDecimal promptPer1k, BigDecimal completionPer1k) {
    }

    private record Table(Price fallback, Map<String, Price> models) {
    }

    private final RoutingClient routing;
    private final Vertx vertx;
    private final ObjectMapper mapper;
    private final QuotaConfig config;
    private volatile Table table;
    private volatile boolean stopped;

    public ModelPrices(RoutingClient routing, Vertx vertx, ObjectMapper mapper, QuotaConfig config) {
        this.routing = routing;
        this.vertx = vertx;
        this.mapper = mapper;
        this.config = config;
        Price fallback = new Price(config.fallbackPricePer1k(), config.fallbackPricePer1k());
        this.table = new Table(fallback, Map.of());
    }

    void start(@Observes StartupEvent ev) {
        if (config.enabled()) {
            refresh();
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        stopped = true;
    }

    public Price of(String model) {
        Table t = table;
        Price p = model == null ? null : t.models().get(model);
        return p != null ? p : t.fallback();
    }

    boolean loaded() {
        return !table.models().isEmpty();
    }

    /** Reads the prices now and schedules the next periodic read (the chain started at start). */
    void refresh() {
        load().onComplete(ar -> {
            if (!stopped) {
                vertx.setTimer(ar.result() ? config.pricesRefresh().toMillis() : RETRY_MS, id -> refresh());
            }
        });
    }

    /** Reads the prices now, outside the periodic chain; keeps the current table when routing cannot answer. */
    public void reload() {
        if (config.enabled() && !stopped) {
            load();
        }
    }

    /** @return whether the table was replaced (never a failed future) */
    private Future<Boolean> load() {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        h.set("accept", "application/json");
        h.set(AigwHeaders.REQUEST_ID, "prices-" + UUID.randomUUID());
        return routing.call(HttpMethod.GET, PATH, h, null, 5000).send()
                .compose(resp -> resp.body().map(b -> resp.statusCode() == 200 ? b : null))
                .transform(ar -> {
                    boolean ok = false;
                    if (ar.succeeded() && ar.result() != null) {
                        try {
                            table = parse(mapper.readTree(ar.result().getBytes()));
                            ok = true;
                        } catch (Exception e) {
                            LOG.warnf("model prices from routing-service unreadable: %s", e.toString());
                        }
                    } else if (ar.failed()) {
                        LOG.debugf("model prices not read from routing-service: %s", ar.cause().toString());
                    }
                    return Future.succeededFuture(ok);
                });
    }

    static Table parse(JsonNode root) {
        Map<String, Price> models = new HashMap<>();
        JsonNode m = root.path("models");
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            models.put(e.getKey(), price(e.getValue()));
        }
        return new Table(price(root.path("fallback")), Map.copyOf(models));
    }

    private static Price price(JsonNode n) {
        return new Price(new BigDecimal(n.path("promptPer1k").asText("0")),
                new BigDecimal(n.path("completionPer1k").asText("0")));
    }
}
