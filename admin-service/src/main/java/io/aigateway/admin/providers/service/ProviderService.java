package io.aigateway.admin.providers.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.admin.analytics.client.UsageQueryClient;
import io.aigateway.admin.audit.service.Actor;
import io.aigateway.admin.common.client.RelayAnswer;
import io.aigateway.admin.config.publish.ConfigPublisher;
import io.aigateway.admin.config.store.ConfigStore;
import io.aigateway.admin.providers.client.AdapterClient;
import io.aigateway.admin.providers.client.CatalogEntry;
import io.aigateway.admin.routing.client.RoutingClient;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.config.ConfigKeys;
import io.aigateway.contracts.config.ProviderOverride;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.text.LogSafe;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Providers at run time: the admin's view of each provider (adapter-service's effective catalog and health, the
 * override admins set, routing's breaker state, today's usage), and changes to the override (merge patch, toggle):
 * checked against adapter's catalog, stored with an audit entry, then published on {@code ai.config.v1}.
 * <p>
 * The view's parts come from three services; only the catalog is required (without it there is nothing to show:
 * adapter's error is the answer). Breaker state, today's figures and the stored override each become null with a
 * note when their service is down.
 */
@ApplicationScoped
public class ProviderService {

    private static final Logger LOG = Logger.getLogger(ProviderService.class);
    private static final ObjectMapper JSON = Json.newMapper();
    private static final java.util.Set<String> META = java.util.Set.of("provider", "revision", "updatedAt", "updatedBy");

    /** A change's outcome: the provider's view after it, and whether Kafka acknowledged it. */
    public record Changed(ObjectNode view, boolean published) {
    }

    private final AdapterClient adapter;
    private final RoutingClient routing;
    private final UsageQueryClient usage;
    private final ConfigStore store;
    private final ConfigPublisher publisher;

    public ProviderService(AdapterClient adapter, RoutingClient routing, UsageQueryClient usage, ConfigStore store,
                           ConfigPublisher publisher) {
        this.adapter = adapter;
        this.routing = routing;
        this.usage = usage;
        this.store = store;
        this.publisher = publisher;
    }

    public Uni<List<ObjectNode>> list() {
        return adapter.catalog().flatMap(entries -> views(entries));
    }

    public Uni<ObjectNode> get(String id) {
        return adapter.catalog().flatMap(entries -> {
            CatalogEntry e = find(entries, id);
            if (e == null) {
                throw ApiError.notFound("No provider '" + LogSafe.echo(id) + "'.").exception();
            }
            return views(List.of(e)).map(v -> v.get(0));
        });
    }

    /** Applies a JSON merge patch to the provider's override; 400 (nothing stored) when any part is refused. */
    public Uni<Changed> patch(String id, JsonNode patch, Actor actor) {
        return adapter.catalog().flatMap(entries -> {
            CatalogEntry e = known(entries, id);
            ProviderPatch.validate(patch, e.modelIds());
            return change(e, patch, "provider.patch", actor);
        });
    }

    /** Turns the provider off when it is on now (as the admin sees it), on otherwise. */
    public Uni<Changed> toggle(String id, Actor actor) {
        return adapter.catalog().flatMap(entries -> {
            CatalogEntry e = known(entries, id);
            return store.find(ConfigKeys.provider(id)).flatMap(stored -> {
                boolean on = effective(e, stored).enabled();
                ObjectNode patch = JsonNodeFactory.instance.objectNode().put("enabled", !on);
                return change(e, patch, "provider.toggle", actor);
            });
        });
    }

    private Uni<Changed> change(CatalogEntry e, JsonNode patch, String action, Actor actor) {
        String key = ConfigKeys.provider(e.id());
        return store.change(key, actor, ch -> {
                    JsonNode before = ch.current() == null ? null : ch.current().value();
                    ObjectNode base = JsonNodeFactory.instance.objectNode();
                    if (before != null && before.isObject()) {
                        base = ((ObjectNode) before).deepCopy();
                        base.remove(META);
                    }
                    ObjectNode merged = ProviderPatch.merge(base, patch);
                    merged.put("provider", e.id());
                    merged.put("revision", ch.revision());
                    merged.put("updatedAt", ch.at().toString());
                    merged.put("updatedBy", actor.id());
                    JsonNode value = JSON.valueToTree(toOverride(merged));
                    return new ConfigStore.Result(value, action, before, value);
                })
                .flatMap(stored -> publisher.publish(key)
                        .flatMap(published -> views(List.of(e)).map(v -> {
                            ObjectNode view = v.get(0);
                            view.put("published", published);
                            return new Changed(view, published);
                        })));
    }

    // ------------------------------------------------------------------ views

    private Uni<List<ObjectNode>> views(List<CatalogEntry> entries) {
        Uni<Part<Map<String, String>>> breakers = routing.breakers().map(a -> Part.of(breakerStates(a)))
                .onFailure().recoverWithItem(t -> Part.missing("routing-service unavailable: breaker state unknown"));
        String from = LocalDate.now(ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        Uni<Part<Map<String, JsonNode>>> today = usage.get("usage/analytics",
                        "groupBy=provider&limit=1000&from=" + URLEncoder.encode(from, StandardCharsets.UTF_8))
                .map(a -> Part.of(todayRows(a)))
                .onFailure().recoverWithItem(t -> Part.missing("usage-service unavailable: today's figures unknown"));
        Uni<Part<Map<String, ConfigStore.Stored>>> stored = store.list(ConfigKeys.PROVIDER).map(list -> {
                    Map<String, ConfigStore.Stored> byId = new HashMap<>();
                    list.forEach(s -> byId.put(ConfigKeys.idOf(s.key(), ConfigKeys.PROVIDER), s));
                    return Part.of(byId);
                })
                .onFailure().recoverWithItem(t -> {
                    LOG.warnf("Stored overrides unavailable: %s", t.getClass().getName());
                    return Part.missing("admin store unavailable: the stored override is unknown");
                });
        return Uni.combine().all().unis(breakers, today, stored).asTuple().map(t -> {
            List<ObjectNode> out = new ArrayList<>(entries.size());
            for (CatalogEntry e : entries) {
                out.add(view(e, t.getItem1(), t.getItem2(), t.getItem3()));
            }
            return out;
        });
    }

    private ObjectNode view(CatalogEntry e, Part<Map<String, String>> breakers, Part<Map<String, JsonNode>> today,
                            Part<Map<String, ConfigStore.Stored>> stored) {
        ConfigStore.Stored s = stored.value() == null ? null : stored.value().get(e.id());
        ProviderInfo info = effective(e, s);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", info.id());
        o.put("kind", info.kind());
        o.put("displayName", info.displayName());
        o.put("enabled", info.enabled());
        o.put("healthy", info.healthy());
        o.put("priority", info.priority());
        o.set("models", JSON.valueToTree(info.models()));
        JsonNode settings = e.raw().get("settings");
        o.set("settings", settings == null || !settings.isObject() ? JsonNodeFactory.instance.nullNode() : safe(settings));
        o.set("override", s == null || s.value() == null ? JsonNodeFactory.instance.nullNode() : s.value());
        if (s == null) {
            o.putNull("revision");
            o.putNull("published");
        } else {
            o.put("revision", s.revision());
            o.put("published", s.published());
        }
        long applied = e.appliedRevision();
        if (applied < 0) {
            o.putNull("appliedRevision");
        } else {
            o.put("appliedRevision", applied);
        }
        o.put("pending", s != null && s.value() != null && applied != s.revision());
        if (breakers.value() == null) {
            o.putNull("breaker");
        } else {
            o.put("breaker", breakers.value().getOrDefault(e.id(), "CLOSED"));
        }
        o.set("today", today.value() == null ? JsonNodeFactory.instance.nullNode() : today(today.value().get(e.id())));
        ArrayNode notes = o.putArray("notes");
        for (Part<?> p : List.of(breakers, today, stored)) {
            if (p.note() != null) {
                notes.add(p.note());
            }
        }
        return o;
    }

    /** Settings without anything that could be a secret or an address (adapter never sends one; belt and braces). */
    private static JsonNode safe(JsonNode settings) {
        ObjectNode copy = ((ObjectNode) settings).deepCopy();
        List<String> drop = new ArrayList<>();
        copy.fieldNames().forEachRemaining(n -> {
            String l = n.toLowerCase(java.util.Locale.ROOT);
            if (l.contains("key") || l.contains("secret") || l.contains("token") || l.contains("url")) {
                drop.add(n);
            }
        });
        copy.remove(drop);
        return copy;
    }

    /**
     * The provider as it is or will shortly be: adapter's entry, or, while adapter has not applied the stored
     * revision yet, the stored override applied to it (enabled as the override says).
     */
    static ProviderInfo effective(CatalogEntry e, ConfigStore.Stored s) {
        ProviderInfo info = e.info();
        if (s == null || s.value() == null || e.appliedRevision() == s.revision()) {
            return info;
        }
        ProviderOverride desired = toOverride(s.value());
        ProviderInfo applied = desired.applyTo(info);
        boolean enabled = desired.enabled() != null ? desired.enabled() : info.enabled();
        return new ProviderInfo(applied.id(), applied.kind(), applied.displayName(), enabled, applied.healthy(),
                applied.models(), applied.priority());
    }

    private static ObjectNode today(JsonNode row) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        long requests = row == null ? 0 : row.path("requests").asLong(0);
        long errors = row == null ? 0 : row.path("errors").asLong(0);
        o.put("requests", requests);
        o.put("errors", errors);
        o.put("errorRate", requests == 0 ? 0.0
                : BigDecimal.valueOf(errors).divide(BigDecimal.valueOf(requests), 4, RoundingMode.HALF_UP).doubleValue());
        JsonNode p95 = row == null ? null : row.get("p95LatencyMs");
        o.set("p95LatencyMs", p95 == null ? JsonNodeFactory.instance.nullNode() : p95);
        JsonNode cost = row == null ? null : row.get("costUsd");
        o.set("costUsd", cost == null ? JsonNodeFactory.instance.textNode("0") : cost);
        return o;
    }

    private static Map<String, String> breakerStates(RelayAnswer a) {
        if (!a.ok()) {
            throw new IllegalStateException("breakers " + a.status());
        }
        Map<String, String> out = new HashMap<>();
        JsonNode list = a.json(JSON).path("breakers");
        list.forEach(b -> out.put(b.path("provider").asText(), b.path("state").asText()));
        return out;
    }

    private static Map<String, JsonNode> todayRows(RelayAnswer a) {
        if (!a.ok()) {
            throw new IllegalStateException("analytics " + a.status());
        }
        Map<String, JsonNode> out = new HashMap<>();
        a.json(JSON).path("rows").forEach(r -> out.put(r.path("provider").asText(), r));
        return out;
    }

    private static CatalogEntry find(List<CatalogEntry> entries, String id) {
        return entries.stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
    }

    private static CatalogEntry known(List<CatalogEntry> entries, String id) {
        CatalogEntry e = find(entries, id);
        if (e == null) {
            throw ApiError.badRequest("Unknown provider '" + LogSafe.echo(id) + "' (not in adapter-service's catalog).", "id")
                    .exception();
        }
        return e;
    }

    static ProviderOverride toOverride(JsonNode value) {
        try {
            return JSON.treeToValue(value, ProviderOverride.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored override unreadable", e);
        }
    }

    /** One part of a view: its value, or null with a note saying why. */
    private record Part<T>(T value, String note) {
        static <T> Part<T> of(T value) {
            return new Part<>(value, null);
        }

        static <T> Part<T> missing(String note) {
            return new Part<>(null, note);
        }
    }
}
