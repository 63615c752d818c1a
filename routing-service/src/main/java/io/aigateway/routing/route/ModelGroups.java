package io.aigateway.routing.route;

import io.aigateway.contracts.config.ModelGroup;
import io.aigateway.contracts.text.LogSafe;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model groups requests resolve against: the configuration file's ({@code aigw.routing.groups.*}) with the groups
 * admins published on {@code ai.config.v1} ({@code group:<name>}) in their place. A published group replaces the
 * file's group of that name whole; its tombstone brings the file's group (or none) back. Reads are one volatile read
 * of an immutable map; changes (rare, from the config follower's thread) rebuild it.
 */
public final class ModelGroups {

    private static final Logger LOG = Logger.getLogger(ModelGroups.class);

    private final Map<String, List<ModelResolver.GroupMember>> file;
    private final Map<String, List<ModelResolver.GroupMember>> published = new TreeMap<>();
    private volatile Map<String, List<ModelResolver.GroupMember>> current;

    /** @param fileConfig {@code aigw.routing.groups.<name>=providerId/modelId,...} */
    public ModelGroups(Map<String, String> fileConfig) {
        this.file = ModelResolver.parseGroups(fileConfig);
        this.current = file;
    }

    /** Name → members in configured order; immutable. */
    public Map<String, List<ModelResolver.GroupMember>> current() {
        return current;
    }

    /**
     * Applies a published group: {@code group} null (a tombstone) removes the published group of that name. Members
     * that are not {@code providerId/modelId} are skipped (admin-service validates them before publishing).
     */
    public synchronized void publish(String name, ModelGroup group) {
        if (group == null) {
            published.remove(name);
        } else {
            List<ModelResolver.GroupMember> members = new ArrayList<>(group.members().size());
            for (String m : group.members()) {
                ModelResolver.GroupMember member = ModelResolver.member(m);
                if (member == null) {
                    LOG.warnf("published group %s: member '%s' is not providerId/modelId (skipped)",
                            LogSafe.escape(name), LogSafe.escape(m));
                } else {
                    members.add(member);
                }
            }
            published.put(name, List.copyOf(members));
        }
        Map<String, List<ModelResolver.GroupMember>> merged = new TreeMap<>(file);
        merged.putAll(published);
        current = Collections.unmodifiableMap(merged);
    }
}
