package io.aigateway.admin.security;

import io.aigateway.contracts.error.ApiError;
import io.aigateway.support.http.ErrorWriter;
import io.quarkus.oidc.OIDCException;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * An access token that cannot be checked because the issuer does not answer (discovery or JWKS unreachable):
 * 503 in the OpenAI envelope with {@code retry-after}, not a 500 and not a 401 (the token may well be valid).
 * Nothing of the token is logged.
 */
@ApplicationScoped
public class OidcFailures {

    private static final Logger LOG = Logger.getLogger(OidcFailures.class);

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).failureHandler(rc -> {
            if (rc.response().ended() || !isOidcUnavailable(rc.failure())) {
                rc.next();
                return;
            }
            LOG.warnf("The OIDC issuer is unreachable: a bearer token could not be checked (%s)",
                    rc.failure().getClass().getName());
            ErrorWriter.write(rc.response(), unavailable());
        });
    }

    static boolean isOidcUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OIDCException) {
                return true;
            }
        }
        return false;
    }

    static ApiError unavailable() {
        return new ApiError(503, "api_error", "identity_provider_unavailable", null,
                "The identity provider cannot be reached to check the access token; try again shortly, or use an API key.",
                null).withHeader("retry-after", "5");
    }
}
