package io.aigateway.admin.groups.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigateway.admin.audit.service.Actor;
import io.aigateway.admin.config.publish.ConfigPublisher;
import io.aigateway.admin.config.store.ConfigStore;
import io.aigateway.admin.providers.client.AdapterClient;
import io.aigateway.admin.providers.client.CatalogEntry;
import io.aigateway.contracts.config.ConfigKeys;
import io.aigateway.contracts.config.ModelGroup;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.Json;
import io.aigateway.contracts.text.LogSafe;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Model groups set by admins: stored ({@code group:<name>} in {@code admin.runtime_config}) and published as
 * {@link ModelGroup} on {@code ai.config.v1}; a delete stores and publishes a tombstone (routing's file group of
 * that name, if any, applies again). Members are {@code provider/model} pairs of adapter-service's catalog.
 */
@ApplicationScoped
public class ModelGroupService {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final int MAX_MEMBERS = 100;
    private static final ObjectMapper JSON = Json.newMapper();

    /** A change's outcome: the group's view (null after a delete) and whether Kafka acknowledged it. */
    public record Changed(ObjectNode view, boolean published) {
    }

    private final AdapterClient adapter;
    private final ConfigStore store;
    private final ConfigPublisher publisher;

    public ModelGroupService(AdapterClient adapter, ConfigStore store, ConfigPublisher publisher) {
        this.adapter = adapter;
        this.store = store;
        this.publisher = publisher;
    }

    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiError.badRequest("A group name must match [a-z0-9][a-z0-9._-]{0,63}.", "name").exception();
        }
        return name;
    }

    public Uni<List<ObjectNode>> list() {
        return store.list(ConfigKeys.GROUP).map(rows -> rows.stream().filter(r -> r.value() != null)
                .map(ModelGroupService::view).toList());
    }

    public Uni<ObjectNode> get(String name) {
        checkName(name);
        return store.find(ConfigKeys.group(name)).map(row -> {
            if (row == null || row.value() == null) {
                throw notFound(name);
            }
            return view(row);
        });
    }

    public Uni<Changed> put(String name, JsonNode body, Actor actor) {
        checkName(name);
        List<String> members = members(body);
        String key = ConfigKeys.group(name);
        return adapter.catalog().flatMap(catalog -> {
            checkAgainst(members, catalog);
            return store.change(key, actor, ch -> {
                JsonNode before = ch.current() == null ? null : ch.current().value();
                JsonNode value = JSON.valueToTree(new ModelGroup(name, members, ch.revision(), ch.at(), actor.id()));
                return new ConfigStore.Result(value, "group.put", before, value);
            });
        }).flatMap(stored -> publisher.publish(key).map(published -> {
            ObjectNode v = view(stored);
            v.put("published", published);
            return new Changed(v, published);
        }));
    }

    public Uni<Changed> delete(String name, Actor actor) {
        checkName(name);
        String key = ConfigKeys.group(name);
        return store.change(key, actor, ch -> {
            if (ch.current() == null || ch.current().value() == null) {
                throw notFound(name);
            }
            return new ConfigStore.Result(null, "group.delete", ch.current().value(), null);
        }).flatMap(stored -> publisher.publish(key).map(published -> new Changed(null, published)));
    }

    static List<String> members(JsonNode body) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("members")) {
                throw ApiError.badRequest("Unknown field '" + LogSafe.echo(f) + "'; a group is {\"members\":[\"provider/model\", …]}.",
                        f).exception();
            }
        }
        JsonNode m = body.get("members");
        if (m == null || !m.isArray() || m.isEmpty() || m.size() > MAX_MEMBERS) {
            throw ApiError.badRequest("'members' must be an array of 1 to " + MAX_MEMBERS + " \"provider/model\" strings.",
                    "members").exception();
        }
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < m.size(); i++) {
            JsonNode v = m.get(i);
            String param = "members[" + i + "]";
            if (!v.isTextual() || v.asText().indexOf('/') <= 0 || v.asText().endsWith("/")) {
                throw ApiError.badRequest("Each member must be \"provider/model\".", param).exception();
            }
            if (!seen.add(v.asText())) {
                throw ApiError.badRequest("Member '" + LogSafe.echo(v.asText()) + "' is listed twice.", param).exception();
            }
            out.add(v.asText());
        }
        return out;
    }

    private static void checkAgainst(List<String> members, List<CatalogEntry> catalog) {
        for (int i = 0; i < members.size(); i++) {
            String member = members.get(i);
            int slash = member.indexOf('/');
            String provider = member.substring(0, slash);
            String model = member.substring(slash + 1);
            CatalogEntry e = catalog.stream().filter(c -> c.id().equals(provider)).findFirst().orElse(null);
            if (e == null || !e.modelIds().contains(model)) {
                throw ApiError.badRequest("'" + LogSafe.echo(member) + "' is not a provider/model of adapter-service's catalog.",
                        "members[" + i + "]").exception();
            }
        }
    }

    private static ObjectNode view(ConfigStore.Stored row) {
        ObjectNode v = ((ObjectNode) row.value()).deepCopy();
        v.put("published", row.published());
        return v;
    }

    private static RuntimeException notFound(String name) {
        return ApiError.notFound("No model group '" + name + "' set by admins.").exception();
    }

    /** For views of many groups. */
    public static Map<String, Object> page(List<ObjectNode> groups) {
        return Map.of("groups", groups);
    }
}
