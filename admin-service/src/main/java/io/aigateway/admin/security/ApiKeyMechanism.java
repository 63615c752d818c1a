package io.aigateway.admin.security;

import io.aigateway.contracts.internal.KeyHashing;
import io.aigateway.support.http.BearerTokens;
import io.aigateway.support.security.EnvelopeChallengeMechanism;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.Set;

/**
 * Admins authenticate with an API key ({@code Authorization: Bearer aigw_…}); the admin API's permission
 * ({@code application.properties}: {@code /api/v1/ai/admin/*} needs role {@code admin}) and {@code @RolesAllowed}
 * decide the rest. Beside service-support's service-token mechanism, which serves {@code /internal/**}, and
 * quarkus-oidc's bearer mechanism ({@link OidcTenants}).
 * <p>
 * How the bearer mechanisms share {@code Authorization: Bearer}: Quarkus asks the mechanisms in descending
 * {@link #getPriority() priority} and stops at the first that returns an identity or fails. This one goes first:
 * an {@code aigw_} value is an API key and is decided here (identity or 401), so OIDC never sees a key; any other
 * bearer value is not ours and is left (empty result) to the OIDC mechanism, which verifies it as an access token
 * when OIDC is on, or ignores it when it is off (then the request is anonymous → 401). Being first also makes
 * this mechanism's envelope the 401 challenge of the service.
 */
@ApplicationScoped
public class ApiKeyMechanism extends EnvelopeChallengeMechanism {

    private static final Set<Class<? extends AuthenticationRequest>> TYPES = Set.of(ApiKeyRequest.class);
    private static final String KEY_PREFIX = "aigw_";
    /** Before quarkus-oidc's mechanism (and service-support's, whose header never collides with this one). */
    static final int PRIORITY = DEFAULT_PRIORITY + 1000;

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String key = BearerTokens.parse(context.request().getHeader("Authorization"));
        if (key == null) {
            return Uni.createFrom().optional(Optional.empty());
        }
        if (!key.startsWith(KEY_PREFIX)) {
            return Uni.createFrom().optional(Optional.empty()); // an access token, maybe: OIDC's mechanism decides
        }
        if (!KeyHashing.looksLikeKey(key)) {
            return Uni.createFrom().failure(new io.quarkus.security.AuthenticationFailedException("not an API key"));
        }
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyRequest(key), context));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return TYPES;
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
