package io.aigateway.admin.keys.service;

import io.aigateway.contracts.error.ApiError;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A validated request for a new key.
 *
 * @param userId    owner, {@code [A-Za-z0-9._@-]{1,128}}
 * @param roles     non-empty subset of {@link Roles#KNOWN}, sorted
 * @param name      optional label, at most 128 characters without control characters
 * @param expiresAt optional, in the future
 */
public record NewKey(String userId, Set<String> roles, String name, Instant expiresAt) {

    public static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final int MAX_NAME = 128;

    /** Validates raw input; throws an {@link io.aigateway.contracts.error.ApiException} (400) naming the bad field. */
    public static NewKey validate(String userId, Collection<String> roles, String name, Instant expiresAt, Instant now) {
        if (userId == null || userId.isBlank()) {
            throw ApiError.badRequest("'userId' is required.", "userId").exception();
        }
        if (!USER_ID.matcher(userId).matches()) {
            throw ApiError.badRequest("'userId' must match [A-Za-z0-9._@-]{1,128}.", "userId").exception();
        }
        Set<String> roleSet = new TreeSet<>();
        if (roles == null) {
            roleSet.add(Roles.USER);
        } else {
            if (roles.isEmpty()) {
                throw ApiError.badRequest("'roles' must name at least one role (user, admin).", "roles").exception();
            }
            for (String role : roles) {
                if (role == null || !Roles.KNOWN.contains(role)) {
                    throw ApiError.badRequest("Unknown role in 'roles'; known roles are: admin, user.", "roles")
                            .exception();
                }
                roleSet.add(role);
            }
        }
        String cleanName = null;
        if (name != null && !name.isBlank()) {
            cleanName = name.strip();
            if (cleanName.length() > MAX_NAME || cleanName.chars().anyMatch(Character::isISOControl)) {
                throw ApiError.badRequest("'name' must be at most 128 printable characters.", "name").exception();
            }
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ApiError.badRequest("'expiresAt' must be in the future.", "expiresAt").exception();
        }
        return new NewKey(userId, Set.copyOf(roleSet), cleanName, expiresAt);
    }

    public List<String> sortedRoles() {
        return List.copyOf(new TreeSet<>(roles));
    }
}
