package io.aigateway.admin.providers.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aigateway.contracts.catalog.ModelInfo;
import io.aigateway.contracts.catalog.ProviderInfo;
import io.aigateway.contracts.error.ApiError;
import io.aigateway.contracts.internal.Json;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * One provider of adapter-service's effective catalog: the parsed entry, and its JSON as adapter sent it (for
 * {@code settings} and the {@code override} adapter applies, which {@link ProviderInfo} does not carry).
 */
public record CatalogEntry(ProviderInfo info, JsonNode raw) {

    private static final ObjectMapper MAPPER = Json.newMapper();

    static CatalogEntry of(JsonNode raw) {
        try {
            return new CatalogEntry(MAPPER.treeToValue(raw, ProviderInfo.class), raw);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ApiError(502, "api_error", "upstream_error", null,
                    "adapter-service answered with a provider list that could not be read.", null).exception();
        }
    }

    public String id() {
        return info.id();
    }

    public Set<String> modelIds() {
        return info.models().stream().map(ModelInfo::id).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /** The revision of the override adapter applies, or -1 when none. */
    public long appliedRevision() {
        JsonNode o = raw.get("override");
        return o == null || !o.isObject() || !o.has("revision") ? -1 : o.get("revision").asLong(-1);
    }
}
