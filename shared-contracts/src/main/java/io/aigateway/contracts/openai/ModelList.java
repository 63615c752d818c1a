package io.aigateway.contracts.openai;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code GET /v1/models}: {@code {"object":"list","data":[{id, object:"model", created, owned_by}]}}. */
public record ModelList(String object, List<Model> data) {

    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {
        public static Model of(String id, long created, String ownedBy) {
            return new Model(id, "model", created, ownedBy);
        }
    }

    public static ModelList of(List<Model> models) {
        return new ModelList("list", List.copyOf(models));
    }
}
