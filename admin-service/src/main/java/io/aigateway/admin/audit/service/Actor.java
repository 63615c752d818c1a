package io.aigateway.admin.audit.service;

import io.aigateway.admin.security.ApiKeyIdentityProvider;
import io.aigateway.contracts.internal.ApiKeyRecord;
import io.aigateway.support.http.RequestIds;
import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who made an admin change, taken from the security identity on the request's thread (before any hop to another
 * thread): the API key's id (never the key) and its user, and the request ID.
 *
 * @param id     the key id ({@code key_…}), or the user id when the identity has no API key (an OIDC token, or a
 *               user acting on their own keys through the edge)
 * @param userId the user the key belongs to; for an OIDC token the user id and its {@code preferred_username}
 */
public record Actor(String id, String userId, String requestId) {

    public static Actor of(SecurityIdentity identity) {
        ApiKeyRecord key = identity == null ? null : identity.getAttribute(ApiKeyIdentityProvider.KEY_ATTRIBUTE);
        String user = identity == null || identity.getPrincipal() == null ? null : identity.getPrincipal().getName();
        if (key == null && identity != null && identity.getPrincipal() instanceof JsonWebToken token) {
            // an OIDC token: the user id claim (the principal, aigw.oidc.user-claim) and the login name if any
            String login = token.getClaim("preferred_username") instanceof String s && !s.isBlank() ? s : null;
            return new Actor(user != null ? user : "?", login != null ? login : user, RequestIds.current());
        }
        String id = key != null ? key.keyId() : user != null ? user : "?";
        return new Actor(id, user, RequestIds.current());
    }

    /** A user acting on their own behalf through the edge (self-service keys): the user id is the actor. */
    public static Actor user(String userId) {
        return new Actor(userId, userId, RequestIds.current());
    }
}
