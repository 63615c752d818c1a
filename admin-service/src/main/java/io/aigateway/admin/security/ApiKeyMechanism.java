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
 * decide the rest. Beside service-support's service-token mechanism, which serves {@code /internal/**}.
 */
@ApplicationScoped
public class ApiKeyMechanism extends EnvelopeChallengeMechanism {

    private static final Set<Class<? extends AuthenticationRequest>> TYPES = Set.of(ApiKeyRequest.class);

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String key = BearerTokens.parse(context.request().getHeader("Authorization"));
        if (key == null) {
            return Uni.createFrom().optional(Optional.empty());
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
