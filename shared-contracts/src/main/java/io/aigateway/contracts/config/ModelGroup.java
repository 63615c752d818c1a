package io.aigateway.contracts.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A model group set by admins (value of {@code group:<name>} on {@code ai.config.v1}): its members
 * ({@code provider/model}, in configured order) replace the file's group of that name; a tombstone brings the file's
 * group (if any) back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelGroup(String name, List<String> members, long revision, Instant updatedAt, String updatedBy) {

    public ModelGroup {
        members = members == null ? List.of() : List.copyOf(members);
    }
}
