package io.aigateway.support.security;

import io.aigateway.contracts.internal.AigwHeaders;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Service-to-service authentication, the Quarkus Security way: a request carrying {@code X-Aigw-Internal-Token}
 * is authenticated as the caller that secret belongs to ({@link ServiceTokenIdentityProvider}); a wrong token
 * fails the request (401). A request without one stays anonymous and the deny-by-default permissions refuse it
 * everywhere but on the explicitly open paths. Runs on the raw request before any route, JAX-RS or Vert.x, and
 * after {@link RawPathGuard}.
 */
@ApplicationScoped
public class ServiceTokenMechanism extends EnvelopeChallengeMechanism {

    private static final Set<Class<? extends AuthenticationRequest>> TYPES = Set.of(ServiceTokenRequest.class);

    private final boolean acceptsCallers;

    public ServiceTokenMechanism(ServiceCallers callers) {
        this.acceptsCallers = !callers.all().isEmpty();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = context.request().getHeader(AigwHeaders.INTERNAL_TOKEN);
        // a service that accepts no callers (the edge) ignores the header: it is a client's, and means nothing here
        if (token == null || !acceptsCallers) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(new ServiceTokenRequest(token), context));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return TYPES;
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER,
                AigwHeaders.INTERNAL_TOKEN.toLowerCase()));
    }
}
